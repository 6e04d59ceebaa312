import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import { AppError, conflict } from '../core/errors.js';
import { findOverlappingHabilitation, type HabilitationScope } from '../core/habilitations/habilitation.js';
import type { HabilitationStatus } from '../core/habilitations/lifecycle.js';
import type { ImportIssueView, PartnerImportResult } from '../core/onboarding/onboarding.schema.js';
import { sirenOf } from '../core/validators/identifiers.js';
import type { Database } from '../db/database.js';
import { HabilitationRepository } from '../db/repositories/habilitation.repository.js';
import { OnboardingRepository } from '../db/repositories/onboarding.repository.js';
import { OrganisationRepository } from '../db/repositories/organisation.repository.js';
import {
  completeRows,
  crossRowIssues,
  type MappedPartner,
  mapPartnerRow,
  partnerColumns,
  partnerListTemplate,
  readPartnerTable,
  siretsOf,
} from '../importers/partner-list/index.js';
import { recordAudit } from './audit.service.js';
import { toOrganisationView } from './organisation.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

/** A partner list larger than this is refused before it is read: 5,000 rows fit in far less. */
export const MAX_PARTNER_LIST_BYTES = 5 * 1024 * 1024;

export const XLSX_TEMPLATE_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A partner list as received: the name it was sent under and its bytes. */
export interface PartnerListFile {
  fileName: string;
  content: Uint8Array;
}

interface Plan {
  issues: ImportIssueView[];
  partners: MappedPartner[];
  /** By SIRET: the organisation already registered, or none (to create). */
  existing: Map<string, string>;
  certifications: Map<string, string>;
}

const header = (key: (typeof partnerColumns)[number]['key']) =>
  partnerColumns.find((c) => c.key === key)!.header;
const byLine = (a: ImportIssueView, b: ImportIssueView) =>
  a.line - b.line ||
  partnerColumns.findIndex((c) => c.header === a.column) -
    partnerColumns.findIndex((c) => c.header === b.column);
const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown })?.code === '23505';

/**
 * Bulk onboarding: a certifier's existing partner list (XLSX or CSV, the documented template) becomes
 * organisations, and habilitation applications where a row names a certification. A dry run checks every
 * row against the same rules as the API and the database and reports each error by line and column; the
 * real run writes everything in one transaction, or nothing.
 */
export class OnboardingService {
  constructor(private readonly ctx: ServiceContext) {}

  async template(actor: Actor): Promise<{ fileName: string; mediaType: string; content: Buffer }> {
    requireAccess(actor, 'organisation.import');
    return {
      fileName: 'modele-liste-partenaires.xlsx',
      mediaType: XLSX_TEMPLATE_MEDIA_TYPE,
      content: await partnerListTemplate(),
    };
  }

  /** With `dryRun`, checks and reports only; otherwise imports everything or refuses the whole list. */
  async importPartners(
    actor: Actor,
    file: PartnerListFile,
    options: { dryRun: boolean },
  ): Promise<PartnerImportResult> {
    requireAccess(actor, 'organisation.import');
    requireAccess(actor, 'organisation.create');
    requireAccess(actor, 'habilitation.manage');
    const { dryRun } = parseInput(z.strictObject({ dryRun: z.boolean() }), options);
    if (file.content.byteLength > MAX_PARTNER_LIST_BYTES)
      throw new AppError(
        'payload_too_large',
        `The partner list is larger than ${MAX_PARTNER_LIST_BYTES / 1024 / 1024} MiB`,
        {
          fields: [{ field: 'file', message: `larger than ${MAX_PARTNER_LIST_BYTES} bytes` }],
        },
      );
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const table = await readPartnerTable(file.content);
    const known = await new OnboardingRepository(this.ctx.db).organisationsBySirets(siretsOf(table.rows));
    const rows = completeRows(table.rows, new Map(known.map((o) => [o.siret, o.legalName])));
    const mapped = rows.map(mapPartnerRow);
    const partners = mapped.flatMap((m) => (m.partner ? [m.partner] : []));
    // Rows whose organisation part is faulty still have their certification checked.
    const codes = mapped.flatMap((m, i) =>
      !m.partner && m.habilitation ? [{ line: rows[i]!.line, code: m.habilitation.certificationCode }] : [],
    );
    const rowIssues = [
      ...table.issues,
      ...mapped.flatMap((m) => m.issues),
      ...crossRowIssues(partners, table.rows),
    ];
    const base = { fileName: file.fileName, format: table.format, sha256, rows: table.rows.length };

    if (dryRun) {
      const plan = await this.plan(this.ctx.db, partners, codes);
      return this.result(base, true, [...rowIssues, ...plan.issues], plan);
    }
    if (rowIssues.length) {
      // Refused without a write; the report is the dry run's, database checks included.
      const plan = await this.plan(this.ctx.db, partners, codes);
      throw this.rejected([...rowIssues, ...plan.issues], base.rows);
    }
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        const plan = await this.plan(trx, partners, [], true);
        if (plan.issues.length) throw this.rejected(plan.issues, base.rows);
        await this.write(trx, actor, plan, file.fileName);
        const result = this.result(base, false, [], plan);
        await recordAudit(
          trx,
          actor,
          {
            action: 'organisation.import',
            entityType: 'organisation',
            entityId: null,
            after: {
              fileName: file.fileName,
              sha256,
              rows: result.rows,
              organisations: result.organisations,
              habilitations: result.habilitations,
            },
          },
          this.ctx.now,
        );
        return result;
      });
    } catch (error) {
      // Another import or user registered one of the SIRETs meanwhile: nothing was written.
      if (isUniqueViolation(error))
        throw conflict('An organisation of the list was registered meanwhile: run the import again');
      throw error;
    }
  }

  /** Checks the rows against the database: certifications known and active, organisations usable, overlaps. */
  private async plan(
    db: Database,
    partners: readonly MappedPartner[],
    otherCodes: readonly { line: number; code: string }[],
    lock = false,
  ): Promise<Plan> {
    const repo = new OnboardingRepository(db);
    const sirets = [...new Set(partners.map((p) => p.organisation.siret))];
    const codes = [
      ...new Set([
        ...partners.flatMap((p) => (p.habilitation ? [p.habilitation.certificationCode] : [])),
        ...otherCodes.map((c) => c.code),
      ]),
    ];
    const [organisations, certifications] = await Promise.all([
      repo.organisationsBySirets(sirets),
      repo.certificationsByCodes(codes),
    ]);
    if (lock) await repo.lockOrganisations(organisations.map((o) => o.id));
    const existingHabilitations = await repo.habilitationsOf(organisations.map((o) => o.id));
    const orgBySiret = new Map(organisations.map((o) => [o.siret, o]));
    const certByCode = new Map(certifications.map((c) => [c.code, c]));
    const issues: ImportIssueView[] = [];
    const reported = new Set<string>();
    for (const partner of partners) {
      const known = orgBySiret.get(partner.organisation.siret);
      if (known?.archivedAt && !reported.has(known.siret)) {
        reported.add(known.siret);
        issues.push({
          line: partner.line,
          column: header('siret'),
          message: `${known.legalName} is registered with this SIRET but archived`,
        });
      }
      const h = partner.habilitation;
      if (!h) continue;
      const certification = certByCode.get(h.certificationCode);
      if (!certification) {
        issues.push({
          line: partner.line,
          column: header('certificationCode'),
          message: `unknown certification ${h.certificationCode}`,
        });
        continue;
      }
      if (!certification.isActive) {
        issues.push({
          line: partner.line,
          column: header('certificationCode'),
          message: `certification ${h.certificationCode} is no longer active`,
        });
        continue;
      }
      if (!known) continue;
      const other = findOverlappingHabilitation(
        { scope: h.scope, startsOn: h.startsOn, endsOn: h.endsOn, status: 'application' },
        existingHabilitations
          .filter((e) => e.organisationId === known.id && e.certificationId === certification.id)
          .map((e) => ({
            ...e,
            scope: e.scope as HabilitationScope,
            status: e.status as HabilitationStatus,
          })),
      );
      if (other)
        issues.push({
          line: partner.line,
          column: header('startsOn'),
          message: `${known.legalName} already has a ${other.status} habilitation for ${h.certificationCode} (scope ${other.scope}, from ${other.startsOn}) that overlaps this one`,
        });
    }
    for (const { line, code } of otherCodes) {
      const certification = certByCode.get(code);
      if (!certification)
        issues.push({ line, column: header('certificationCode'), message: `unknown certification ${code}` });
      else if (!certification.isActive)
        issues.push({
          line,
          column: header('certificationCode'),
          message: `certification ${code} is no longer active`,
        });
    }
    return {
      issues,
      partners: [...partners],
      existing: new Map(organisations.map((o) => [o.siret, o.id])),
      certifications: new Map(certifications.map((c) => [c.code, c.id])),
    };
  }

  private async write(trx: Database, actor: Actor, plan: Plan, fileName: string): Promise<void> {
    const organisations = new OrganisationRepository(trx);
    const habilitations = new HabilitationRepository(trx);
    const ids = new Map(plan.existing);
    for (const partner of plan.partners) {
      const { siret } = partner.organisation;
      let organisationId = ids.get(siret);
      if (!organisationId) {
        const row = await organisations.insert({ ...partner.organisation, siren: sirenOf(siret) });
        organisationId = row.id;
        ids.set(siret, row.id);
        await recordAudit(
          trx,
          actor,
          {
            action: 'organisation.create',
            entityType: 'organisation',
            entityId: row.id,
            after: toOrganisationView(row),
          },
          this.ctx.now,
        );
      }
      const h = partner.habilitation;
      if (!h) continue;
      const row = await habilitations.insert({
        organisationId,
        certificationId: plan.certifications.get(h.certificationCode)!,
        scope: h.scope,
        coversAllSkillBlocks: true,
        territory: null,
        startsOn: h.startsOn,
        endsOn: h.endsOn,
        status: 'application',
        conditions: '{}',
      });
      await habilitations.insertDecision({
        habilitationId: row.id,
        fromStatus: null,
        toStatus: 'application',
        reasons: `Import de la liste des partenaires (${fileName}, ligne ${partner.line})`,
        decidedBy: actorId(actor),
        decidedAt: this.ctx.now(),
      });
      await recordAudit(
        trx,
        actor,
        {
          action: 'habilitation.create',
          entityType: 'habilitation',
          entityId: row.id,
          after: {
            organisationId,
            certificationCode: h.certificationCode,
            scope: h.scope,
            startsOn: h.startsOn,
            endsOn: h.endsOn,
            status: 'application',
            source: { fileName, line: partner.line },
          },
        },
        this.ctx.now,
      );
    }
  }

  private result(
    base: Pick<PartnerImportResult, 'fileName' | 'format' | 'sha256' | 'rows'>,
    dryRun: boolean,
    issues: ImportIssueView[],
    plan: Plan,
  ): PartnerImportResult {
    const errors = [...issues].sort(byLine);
    const faulty = new Set(errors.map((e) => e.line));
    const seen = new Set<string>();
    const items = plan.partners
      .filter((p) => !faulty.has(p.line))
      .map((p) => {
        const { siret, legalName } = p.organisation;
        const created = !plan.existing.has(siret) && !seen.has(siret);
        seen.add(siret);
        return {
          line: p.line,
          siret,
          legalName,
          organisation: plan.existing.has(siret) ? ('existing' as const) : ('created' as const),
          certificationCode: p.habilitation?.certificationCode ?? null,
          created,
        };
      });
    return {
      ...base,
      dryRun,
      valid: errors.length === 0,
      errors,
      organisations: {
        created: items.filter((i) => i.created).length,
        existing: new Set(items.filter((i) => i.organisation === 'existing').map((i) => i.siret)).size,
      },
      habilitations: { created: items.filter((i) => i.certificationCode !== null).length },
      items: items.map(({ created: _, ...item }) => item),
    };
  }

  private rejected(issues: ImportIssueView[], rows: number): AppError {
    const errors = [...issues].sort(byLine);
    return new AppError(
      'import_rejected',
      `The partner list has ${errors.length} error${errors.length > 1 ? 's' : ''}: nothing was imported`,
      {
        details: { rows, errors },
        fields: errors.map((e) => ({ field: `line ${e.line}, ${e.column}`, message: e.message })),
      },
    );
  }
}
