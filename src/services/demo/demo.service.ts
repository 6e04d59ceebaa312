import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { type Actor, requireAccess } from '../../core/access/policy.js';
import { conflict } from '../../core/errors.js';
import { luhnIsValid } from '../../core/validators/identifiers.js';
import type { Database } from '../../db/database.js';
import { recordAudit } from '../audit.service.js';
import { hashPassword } from '../auth/passwords.js';
import type { ServiceContext } from '../service-context.js';
import {
  BIRTH_COUNTRIES,
  BIRTH_PLACES,
  CITIES,
  DEMO_CERTIFICATIONS,
  DEMO_CERTIFIER,
  FIRST_NAMES,
  LAST_NAMES,
  ORGANISATION_PREFIXES,
  ORGANISATION_THEMES,
} from './demo-data.js';
import { SeededRandom } from './random.js';

export interface DemoOptions {
  seed?: number;
  partners?: number;
}

export interface DemoSummary {
  seed: number;
  certifications: number;
  skillBlocks: number;
  partners: number;
  habilitations: number;
  conventions: number;
  trainingSessions: number;
  candidates: number;
  assessmentSessions: number;
  assessmentResults: number;
  juries: number;
  deliberations: number;
  certificates: number;
  findings: number;
  sanctions: number;
  users: { email: string; role: string }[];
  /** The password of every demo account, generated for this run. */
  password: string;
}

const withLuhnDigit = (digits: string): string => {
  for (let d = 0; d <= 9; d++) if (luhnIsValid(`${digits}${d}`)) return `${digits}${d}`;
  throw new Error('unreachable');
};

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));

async function insertChunked<T extends keyof import('../../db/schema.js').DB>(
  trx: Database,
  table: T,
  rows: Record<string, unknown>[],
  size = 500,
) {
  for (let i = 0; i < rows.length; i += size) {
    // Rows are built to match the table; Kysely cannot type an insert into a table chosen by a parameter.
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

/**
 * Loads a realistic demo network into an empty database: the certifier, 3 certifications with their skill
 * blocks, partners with habilitations (at various stages of their lifecycle) and signed conventions,
 * training sessions with candidates, assessment sessions with results per block, juries, deliberations and
 * certificates, a few findings and sanctions, and demo accounts. Everything from one seed: the same seed
 * gives the same network. One transaction; one audit entry.
 */
export class DemoService {
  constructor(private readonly ctx: ServiceContext) {}

  async load(actor: Actor, options: DemoOptions = {}): Promise<DemoSummary> {
    requireAccess(actor, 'certifier.manage');
    const seed = options.seed ?? 1;
    const partnerCount = options.partners ?? 40;
    const rng = new SeededRandom(seed);
    const password = `Demo-${randomBytes(6).toString('base64url')}-2026`;
    const passwordHash = await hashPassword(password);

    return this.ctx.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('organisations')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      if (existing.n > 0) {
        throw conflict(
          'The demo network loads only into an empty database: use a new HABILIS_DATA_DIR or database',
        );
      }

      await trx
        .insertInto('certifier')
        .values({ ...DEMO_CERTIFIER, siren: DEMO_CERTIFIER.siret.slice(0, 9) })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: DEMO_CERTIFIER.name }))
        .execute();

      // Certifications and their skill blocks.
      const certifications = await trx
        .insertInto('certifications')
        .values(
          DEMO_CERTIFICATIONS.map((c) => ({
            code: c.code,
            register: c.register,
            title: c.title,
            level: c.level,
            state: 'ACTIF',
            isActive: true,
            isOwned: true,
            registeredOn: '2023-03-01',
            endsOn: '2028-03-01',
          })),
        )
        .returning(['id', 'code'])
        .execute();
      const blocksByCertification = new Map<string, string[]>();
      for (const [i, c] of DEMO_CERTIFICATIONS.entries()) {
        const certificationId = certifications[i]!.id;
        const rows = c.blocks.map((b, j) => ({
          certificationId,
          code: `${c.code}BC${String(j + 1).padStart(2, '0')}`,
          title: b.title,
          competences: b.competences,
          assessmentRules: b.assessmentRules,
        }));
        const inserted = await trx.insertInto('skillBlocks').values(rows).returning('id').execute();
        blocksByCertification.set(
          certificationId,
          inserted.map((r) => r.id),
        );
      }

      // Partners.
      const organisations = Array.from({ length: partnerCount }, (_, i) => {
        const place = rng.pick(CITIES);
        const siren = withLuhnDigit(`8${rng.digits(7)}`);
        const lapsed = rng.chance(0.08);
        return {
          siret: withLuhnDigit(`${siren}0001`),
          siren,
          nda: `${place.nda}${rng.digits(9)}`,
          legalName:
            `${rng.pick(ORGANISATION_PREFIXES)} ${rng.pick(ORGANISATION_THEMES)} ${place.city}`.slice(0, 300),
          addressLine: `${rng.int(1, 180)} ${rng.pick(['rue', 'avenue', 'boulevard', 'allée'])} ${rng.pick(LAST_NAMES)}`,
          postalCode: place.postalCode,
          city: place.city,
          region: place.region,
          email: `contact@partenaire-${String(i + 1).padStart(2, '0')}.example.fr`,
          phone: `0${rng.int(1, 5)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`,
          qualiopiStatus: lapsed ? 'lapsed' : 'certified',
          qualiopiCategories: lapsed ? [] : rng.chance(0.3) ? ['training', 'apprenticeship'] : ['training'],
          qualiopiExpiresOn: lapsed
            ? '2026-06-30'
            : `202${rng.int(7, 9)}-${String(rng.int(1, 12)).padStart(2, '0')}-15`,
        };
      });
      // Two made-up SIRENs could collide; the unique SIRET constraint would then stop the load.
      const uniqueOrganisations = [...new Map(organisations.map((o) => [o.siret, o])).values()];
      const orgRows = await trx
        .insertInto('organisations')
        .values(uniqueOrganisations)
        .returning(['id', 'legalName'])
        .execute();

      // Habilitations and their decisions, conventions.
      const statuses = [
        'active',
        'active',
        'active',
        'active',
        'active',
        'active',
        'active',
        'under_watch',
        'suspended',
        'application',
      ];
      const habilitations: {
        id: string;
        organisationId: string;
        certificationId: string;
        scope: string;
        status: string;
      }[] = [];
      const decisions: Record<string, unknown>[] = [];
      const conventions: Record<string, unknown>[] = [];
      const conventionCerts: { reference: string; certificationId: string }[] = [];
      for (const [i, org] of orgRows.entries()) {
        const chosen = rng.sample(certifications, rng.chance(0.3) ? 2 : 1);
        const status = rng.pick(statuses);
        const reference = `CONV-2024-${String(i + 1).padStart(4, '0')}`;
        const signed = status !== 'application';
        conventions.push({
          organisationId: org.id,
          reference,
          status: signed ? 'signed' : 'sent',
          startsOn: '2024-01-01',
          endsOn: '2027-12-31',
          signedOn: signed ? `2023-12-${String(rng.int(1, 20)).padStart(2, '0')}` : null,
          feePerCandidateCents: rng.pick([8_000, 12_000, 15_000]),
          annualFeeCents: rng.pick([0, 50_000, 120_000]),
          clauses: JSON.stringify({
            referential: 'Respect du référentiel de compétences et du référentiel d’évaluation en vigueur',
            communication:
              'Charte de communication : intitulé exact, code RNCP/RS, aucun autre titre revendiqué',
            control: 'Droit d’audit documentaire et sur site, observation des sessions d’évaluation',
            subcontracting: 'Sous-traitance interdite sans accord écrit du certificateur',
          }),
        });
        for (const c of chosen) {
          conventionCerts.push({ reference, certificationId: c.id });
          const scope = rng.pick(['both', 'both', 'both', 'train', 'train', 'evaluate']);
          const blocks = blocksByCertification.get(c.id)!;
          const partial = blocks.length > 2 && rng.chance(0.2);
          const [hab] = await trx
            .insertInto('habilitations')
            .values({
              organisationId: org.id,
              certificationId: c.id,
              scope,
              coversAllSkillBlocks: !partial,
              territory: 'France métropolitaine',
              startsOn: '2024-01-01',
              endsOn: '2027-12-31',
              status,
              conditions: JSON.stringify({ minimumHours: 140, maxGroupSize: 16, inPersonShare: 0.5 }),
            })
            .returning('id')
            .execute();
          habilitations.push({ id: hab!.id, organisationId: org.id, certificationId: c.id, scope, status });
          if (partial) {
            await trx
              .insertInto('habilitationSkillBlocks')
              .values(blocks.slice(0, 2).map((skillBlockId) => ({ habilitationId: hab!.id, skillBlockId })))
              .execute();
          }
          const path: [string | null, string, string][] = [
            [null, 'application', 'Dossier de demande d’habilitation reçu'],
            ['application', 'review', 'Dossier complet : instruction par la responsable qualité'],
          ];
          if (status !== 'application') {
            path.push([
              'review',
              'active',
              'Conditions réunies : convention signée, Qualiopi valide, formateurs qualifiés',
            ]);
          }
          if (status === 'under_watch')
            path.push(['active', 'under_watch', 'Taux de réussite anormalement élevé : contrôle renforcé']);
          if (status === 'suspended')
            path.push(['active', 'suspended', 'Non-conformités majeures non traitées dans les délais']);
          path.forEach(([from, to, reasons], k) => {
            decisions.push({
              habilitationId: hab!.id,
              fromStatus: from,
              toStatus: to,
              reasons,
              decidedAt: new Date(Date.UTC(2023, 10, 1 + k * 10)),
            });
          });
        }
      }
      await insertChunked(trx, 'habilitationDecisions', decisions);
      const conventionRows = await trx
        .insertInto('conventions')
        .values(conventions as never)
        .returning(['id', 'reference'])
        .execute();
      const conventionId = new Map(conventionRows.map((c) => [c.reference, c.id]));
      await insertChunked(
        trx,
        'conventionCertifications',
        conventionCerts.map((c) => ({
          conventionId: conventionId.get(c.reference)!,
          certificationId: c.certificationId,
        })),
      );

      // Demo accounts.
      const demoUsers = [
        {
          email: 'qualite@demo.habilis.fr',
          displayName: 'Hélène Qualité',
          role: 'quality_manager',
          organisationId: null,
        },
        {
          email: 'auditeur@demo.habilis.fr',
          displayName: 'Marc Auditeur',
          role: 'auditor',
          organisationId: null,
        },
        {
          email: 'evaluatrice@demo.habilis.fr',
          displayName: 'Inès Évaluatrice',
          role: 'evaluator',
          organisationId: null,
        },
        {
          email: 'lecture@demo.habilis.fr',
          displayName: 'Paul Lecture',
          role: 'read_only',
          organisationId: null,
        },
        {
          email: 'partenaire1@demo.habilis.fr',
          displayName: 'Partenaire Un',
          role: 'partner',
          organisationId: orgRows[0]!.id,
        },
        {
          email: 'partenaire2@demo.habilis.fr',
          displayName: 'Partenaire Deux',
          role: 'partner',
          organisationId: orgRows[1]!.id,
        },
      ];
      const userRows = await trx
        .insertInto('users')
        .values(demoUsers.map((u) => ({ ...u, passwordHash })))
        .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
        .returning(['id', 'role'])
        .execute();
      const evaluatorId = userRows.find((u) => u.role === 'evaluator')?.id ?? null;

      // The chain: training sessions → candidates → assessments → juries → certificates.
      const trainingRows: Record<string, unknown>[] = [];
      const candidateRows: Record<string, unknown>[] = [];
      const plan: {
        trainingIndex: number;
        hab: (typeof habilitations)[number];
        endsOn: string;
        candidateIndexes: number[];
      }[] = [];
      for (const hab of habilitations) {
        if (hab.scope === 'evaluate' || hab.status === 'application') continue;
        const sessions = rng.int(2, 3);
        for (let s = 0; s < sessions; s++) {
          const startsOn = addDays('2025-01-06', rng.int(0, 420));
          const endsOn = addDays(startsOn, rng.int(60, 150));
          trainingRows.push({
            organisationId: hab.organisationId,
            certificationId: hab.certificationId,
            reference: `SES-${String(trainingRows.length + 1).padStart(4, '0')}`,
            startsOn,
            endsOn,
            hours: rng.pick([140, 210, 280, 350, 399]),
            modality: rng.pick(['in_person', 'in_person', 'blended', 'distance']),
            site: rng.pick(CITIES).city,
            trainers: [
              `${rng.pick(FIRST_NAMES.F)} ${rng.pick(LAST_NAMES)}`,
              `${rng.pick(FIRST_NAMES.M)} ${rng.pick(LAST_NAMES)}`,
            ],
            funding: rng.pick(['cpf', 'cpf', 'apprenticeship', 'employer', 'personal', 'public']),
          });
          const candidateIndexes: number[] = [];
          for (let k = rng.int(6, 12); k > 0; k--) {
            const sex = rng.chance(0.55) ? 'F' : 'M';
            const bornAbroad = rng.chance(0.12);
            candidateIndexes.push(candidateRows.length);
            candidateRows.push({
              organisationId: hab.organisationId,
              birthName: rng.pick(LAST_NAMES).toUpperCase(),
              firstNames: rng.pick(FIRST_NAMES[sex]),
              sex,
              birthDate: `${rng.int(1970, 2004)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
              birthPlaceCode: bornAbroad ? null : rng.pick(BIRTH_PLACES),
              birthCountryCode: bornAbroad ? rng.pick(BIRTH_COUNTRIES) : null,
              email: `candidat${candidateRows.length + 1}@example.fr`,
              accessRoute: rng.pick([
                'continuing_training',
                'continuing_training',
                'apprenticeship',
                'professionalisation_contract',
                'vae',
              ]),
            });
          }
          plan.push({ trainingIndex: trainingRows.length - 1, hab, endsOn, candidateIndexes });
        }
      }
      const trainingIds = (
        await trx
          .insertInto('trainingSessions')
          .values(trainingRows as never)
          .returning('id')
          .execute()
      ).map((r) => r.id);
      const candidateIds: string[] = [];
      for (let i = 0; i < candidateRows.length; i += 500) {
        const rows = await trx
          .insertInto('candidates')
          .values(candidateRows.slice(i, i + 500) as never)
          .returning('id')
          .execute();
        candidateIds.push(...rows.map((r) => r.id));
      }
      await insertChunked(
        trx,
        'trainingEnrolments',
        plan.flatMap((p) =>
          p.candidateIndexes.map((c) => ({
            trainingSessionId: trainingIds[p.trainingIndex]!,
            candidateId: candidateIds[c]!,
          })),
        ),
      );

      const today = isoDay(this.ctx.now());
      const results: Record<string, unknown>[] = [];
      const deliberations: Record<string, unknown>[] = [];
      const deliberationBlocks: { key: number; skillBlockId: string }[] = [];
      const certificatesToIssue: {
        key: number;
        candidateId: string;
        certificationId: string;
        issuedOn: string;
      }[] = [];
      let assessmentSessions = 0;
      let juries = 0;
      for (const p of plan) {
        const assessmentDay = addDays(p.endsOn, rng.int(7, 21));
        if (assessmentDay >= today) continue; // future sessions have no results yet
        const [assessment] = await trx
          .insertInto('assessmentSessions')
          .values({
            certificationId: p.hab.certificationId,
            organiserId: p.hab.scope === 'both' ? p.hab.organisationId : null,
            startsAt: new Date(`${assessmentDay}T09:00:00Z`),
            place: rng.pick(CITIES).city,
            modality: 'in_person',
            status: 'held',
            // Declared weeks ahead and results entered two days after, as a diligent partner does, so the
            // lateness controls have nothing to say about the demo network.
            declaredAt: new Date(`${addDays(assessmentDay, -rng.int(20, 45))}T10:00:00Z`),
          })
          .returning('id')
          .execute();
        assessmentSessions++;
        const sessionId = assessment!.id;
        const candidates = p.candidateIndexes.map((c) => candidateIds[c]!);
        await trx
          .insertInto('assessmentSessionCandidates')
          .values(candidates.map((candidateId) => ({ assessmentSessionId: sessionId, candidateId })))
          .execute();
        if (evaluatorId) {
          await trx
            .insertInto('assessmentSessionEvaluators')
            .values({ assessmentSessionId: sessionId, userId: evaluatorId })
            .execute();
        }
        // The habilitation's blocks: all of the certification's, or the two it covers.
        const allBlocks = blocksByCertification.get(p.hab.certificationId)!;
        const [jury] = await trx
          .insertInto('juries')
          .values({
            certificationId: p.hab.certificationId,
            meetsOn: addDays(assessmentDay, 14),
            place: 'Paris',
            status: 'signed',
            signedAt: new Date(`${addDays(assessmentDay, 14)}T17:00:00Z`),
          })
          .returning('id')
          .execute();
        juries++;
        await trx
          .insertInto('juryMembers')
          .values([
            { juryId: jury!.id, fullName: 'Anne Présidente', role: 'president' },
            {
              juryId: jury!.id,
              fullName: `${rng.pick(FIRST_NAMES.M)} ${rng.pick(LAST_NAMES)}`,
              role: 'professional',
            },
            { juryId: jury!.id, fullName: 'Hélène Qualité', role: 'certifier_representative' },
          ])
          .execute();
        // An outlier partner (under watch) has nearly everyone succeed, which the controls will notice.
        const successRate = p.hab.status === 'under_watch' ? 0.98 : 0.78;
        for (const candidateId of candidates) {
          const absent = rng.chance(0.04);
          const passed: string[] = [];
          for (const skillBlockId of allBlocks) {
            const ok = !absent && rng.chance(successRate);
            if (ok) passed.push(skillBlockId);
            results.push({
              assessmentSessionId: sessionId,
              candidateId,
              skillBlockId,
              score: absent ? null : ok ? rng.int(10, 19) + rng.int(0, 1) / 2 : rng.int(3, 9),
              maxScore: 20,
              decision: absent ? 'absent' : ok ? 'passed' : 'failed',
              recordedBy: evaluatorId,
              recordedAt: new Date(`${addDays(assessmentDay, 2)}T18:00:00Z`),
            });
          }
          const decision = absent
            ? 'postponed'
            : passed.length === allBlocks.length
              ? 'certified'
              : passed.length > 0
                ? 'certified_by_blocks'
                : 'failed';
          const key = deliberations.length;
          deliberations.push({
            juryId: jury!.id,
            candidateId,
            decision,
            decidedAt: new Date(`${addDays(assessmentDay, 14)}T16:00:00Z`),
          });
          if (decision === 'certified_by_blocks')
            for (const skillBlockId of passed) deliberationBlocks.push({ key, skillBlockId });
          if (decision === 'certified') {
            certificatesToIssue.push({
              key,
              candidateId,
              certificationId: p.hab.certificationId,
              issuedOn: addDays(assessmentDay, 21),
            });
          }
        }
      }
      await insertChunked(trx, 'assessmentResults', results);
      const deliberationIds: string[] = [];
      for (let i = 0; i < deliberations.length; i += 500) {
        const rows = await trx
          .insertInto('deliberations')
          .values(deliberations.slice(i, i + 500) as never)
          .returning('id')
          .execute();
        deliberationIds.push(...rows.map((r) => r.id));
      }
      await insertChunked(
        trx,
        'deliberationSkillBlocks',
        deliberationBlocks.map((d) => ({
          deliberationId: deliberationIds[d.key]!,
          skillBlockId: d.skillBlockId,
        })),
      );
      certificatesToIssue.sort((a, b) => a.issuedOn.localeCompare(b.issuedOn));
      const perYear = new Map<string, number>();
      await insertChunked(
        trx,
        'certificates',
        certificatesToIssue.map((c) => {
          const year = c.issuedOn.slice(0, 4);
          const n = (perYear.get(year) ?? 0) + 1;
          perYear.set(year, n);
          const ageDays = (Date.parse(today) - Date.parse(c.issuedOn)) / 86_400_000;
          return {
            number: `${year}-${String(n).padStart(6, '0')}`,
            deliberationId: deliberationIds[c.key]!,
            candidateId: c.candidateId,
            certificationId: c.certificationId,
            issuedOn: c.issuedOn,
            verificationCode: randomBytes(12).toString('base64url'),
            accrochageStatus: ageDays > 60 ? 'accepted' : ageDays > 20 ? 'sent' : 'pending',
          };
        }),
      );

      // Findings and sanctions on the partners under watch or suspended.
      let findings = 0;
      let sanctions = 0;
      for (const hab of habilitations.filter((h) => h.status === 'under_watch' || h.status === 'suspended')) {
        const [control] = await trx
          .insertInto('controls')
          .values({
            kind: 'documentary',
            title: 'Audit documentaire des sessions d’évaluation',
            organisationId: hab.organisationId,
            certificationId: hab.certificationId,
            status: 'done',
            plannedOn: '2026-03-02',
            performedOn: '2026-03-09',
          })
          .returning('id')
          .execute();
        const severity = hab.status === 'suspended' ? 'major' : 'minor';
        const [finding] = await trx
          .insertInto('findings')
          .values({
            controlId: control!.id,
            organisationId: hab.organisationId,
            certificationId: hab.certificationId,
            title:
              hab.status === 'suspended'
                ? 'Feuilles d’émargement absentes pour deux sessions'
                : 'Grilles d’évaluation incomplètes',
            description: 'Constat relevé lors de l’audit documentaire ; pièces demandées au partenaire.',
            severity,
            status: hab.status === 'suspended' ? 'escalated' : 'action_requested',
            source: JSON.stringify({ control: 'documentary', sample: 10 }),
          })
          .returning('id')
          .execute();
        findings++;
        await trx
          .insertInto('correctiveActions')
          .values({
            findingId: finding!.id,
            description:
              'Transmettre les feuilles d’émargement signées et mettre en place une signature électronique',
            ownerName: 'Direction pédagogique du partenaire',
            dueOn: '2026-04-30',
            status: hab.status === 'suspended' ? 'rejected' : 'proposed',
          })
          .execute();
        if (hab.status === 'suspended') {
          const [sanction] = await trx
            .insertInto('sanctions')
            .values({
              organisationId: hab.organisationId,
              habilitationId: hab.id,
              level: 'suspension',
              reasons:
                'Non-conformité majeure non corrigée à l’échéance malgré relance (article 9 de la convention)',
              conventionClause: 'Article 9 — Sanctions',
              decidedOn: '2026-05-15',
              replyDueOn: '2026-05-30',
              status: 'final',
            })
            .returning('id')
            .execute();
          await trx
            .insertInto('sanctionFindings')
            .values({ sanctionId: sanction!.id, findingId: finding!.id })
            .execute();
          sanctions++;
        }
      }

      const summary: DemoSummary = {
        seed,
        certifications: certifications.length,
        skillBlocks: [...blocksByCertification.values()].reduce((n, b) => n + b.length, 0),
        partners: orgRows.length,
        habilitations: habilitations.length,
        conventions: conventionRows.length,
        trainingSessions: trainingIds.length,
        candidates: candidateIds.length,
        assessmentSessions,
        assessmentResults: results.length,
        juries,
        deliberations: deliberationIds.length,
        certificates: certificatesToIssue.length,
        findings,
        sanctions,
        users: demoUsers.map((u) => ({ email: u.email, role: u.role })),
        password,
      };
      const { password: _secret, ...audited } = summary;
      await recordAudit(
        trx,
        actor,
        { action: 'demo.load', entityType: 'certifier', entityId: '1', after: audited },
        this.ctx.now,
      );
      return summary;
    });
  }
}
