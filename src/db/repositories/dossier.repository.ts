import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../database.js';
import type { AuditLogRow } from '../schema.js';
import { selectAuditEntries, toAuditRow } from './audit.repository.js';

/**
 * The reads of the evidence dossier and the reports: everything recorded about one certification (or one
 * partner for it) over a period. SQL only; what it means is decided in src/reports/dossier/.
 */

export interface DossierPeriod {
  from: string | null;
  to: string | null;
}

export interface DossierScope {
  certificationId: string;
  /** Only this organisation (a partner's dossier). */
  organisationId: string | null;
  period: DossierPeriod;
}

const END_OF_TIME = '9999-12-31';
const START_OF_TIME = '0001-01-01';
const CHUNK = 5000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A control or finding is about the certification when it names it, or when it names none but is about
 * one of the certification's partners (a Qualiopi or registry finding about the organisation).
 */
const aboutCertification = (alias: RawBuilder<unknown>, certificationId: string) =>
  sql<SqlBool>`(${alias}.certification_id = ${certificationId} or (${alias}.certification_id is null and ${alias}.organisation_id in (select h.organisation_id from habilitations h where h.certification_id = ${certificationId})))`;

export class DossierRepository {
  constructor(private readonly db: Database) {}

  certifier() {
    return this.db.selectFrom('certifier').select(['name', 'siret']).orderBy('id').executeTakeFirst();
  }

  certificationByCode(code: string) {
    return this.db
      .selectFrom('certifications')
      .select(['id', 'code', 'register', 'title', 'level', 'state', 'isActive', 'registeredOn', 'endsOn'])
      .where('code', '=', code)
      .executeTakeFirst();
  }

  skillBlocks(certificationId: string) {
    return this.db
      .selectFrom('skillBlocks')
      .select(['id', 'code', 'title'])
      .where('certificationId', '=', certificationId)
      .orderBy('code')
      .execute();
  }

  organisationBySiret(siret: string) {
    return this.db
      .selectFrom('organisations')
      .select(['id', 'siret', 'legalName'])
      .where('siret', '=', siret)
      .executeTakeFirst();
  }

  /** Habilitations for the certification whose period meets the dossier's period, with their organisation. */
  habilitations(scope: DossierScope) {
    const { from, to } = scope.period;
    let q = this.db
      .selectFrom('habilitations as h')
      .innerJoin('organisations as o', 'o.id', 'h.organisationId')
      .select([
        'h.id',
        'h.organisationId',
        'h.scope',
        'h.status',
        'h.startsOn',
        'h.endsOn',
        'h.coversAllSkillBlocks',
        'o.siret',
        'o.legalName',
        'o.nda',
        'o.qualiopiStatus',
        'o.qualiopiExpiresOn',
      ])
      .where('h.certificationId', '=', scope.certificationId)
      .where('h.startsOn', '<=', to ?? END_OF_TIME)
      .where((eb) => eb.or([eb('h.endsOn', 'is', null), eb('h.endsOn', '>=', from ?? START_OF_TIME)]));
    if (scope.organisationId) q = q.where('h.organisationId', '=', scope.organisationId);
    return q.orderBy('o.legalName').orderBy('h.startsOn').execute();
  }

  /** Decisions on those habilitations (the lifecycle with its reasons), oldest first. */
  async habilitationDecisions(habilitationIds: readonly string[]) {
    const out: {
      id: string;
      habilitationId: string;
      fromStatus: string | null;
      toStatus: string;
      reasons: string;
      decidedAt: Date;
    }[] = [];
    for (const ids of chunks(habilitationIds))
      out.push(
        ...(await this.db
          .selectFrom('habilitationDecisions')
          .select(['id', 'habilitationId', 'fromStatus', 'toStatus', 'reasons', 'decidedAt'])
          .where('habilitationId', 'in', ids)
          .orderBy('decidedAt')
          .execute()),
      );
    return out;
  }

  /** The partners France Compétences lists on the fiche (last registry import). */
  declaredPartners(code: string) {
    return this.db
      .selectFrom('fcDeclaredPartners')
      .select(['siret', 'name', 'habilitationType', 'state', 'isActive', 'activeSince', 'stateChangedOn'])
      .where('ficheCode', '=', code)
      .orderBy('position')
      .execute();
  }

  /** When the fiche was last read from France Compétences' open data. */
  ficheSync(code: string) {
    return this.db
      .selectFrom('fcFiches')
      .innerJoin('fcImportRuns', 'fcImportRuns.id', 'fcFiches.changedRunId')
      .select(['fcFiches.updatedAt', 'fcImportRuns.fileName', 'fcImportRuns.sha256'])
      .where('fcFiches.code', '=', code)
      .executeTakeFirst();
  }

  async declarations(habilitationIds: readonly string[]) {
    const out: {
      changeId: string;
      habilitationId: string;
      declaredOn: string;
      reference: string | null;
      evidenceId: string | null;
    }[] = [];
    for (const ids of chunks(habilitationIds))
      out.push(
        ...(await this.db
          .selectFrom('fcDeclarations')
          .select(['changeId', 'habilitationId', 'declaredOn', 'reference', 'evidenceId'])
          .where('habilitationId', 'in', ids)
          .orderBy('declaredOn')
          .execute()),
      );
    return out;
  }

  conventions(scope: DossierScope) {
    const { from, to } = scope.period;
    let q = this.db
      .selectFrom('conventions as c')
      .innerJoin('conventionCertifications as cc', 'cc.conventionId', 'c.id')
      .innerJoin('organisations as o', 'o.id', 'c.organisationId')
      .select([
        'c.id',
        'c.organisationId',
        'c.reference',
        'c.version',
        'c.status',
        'c.startsOn',
        'c.endsOn',
        'c.signedOn',
        'c.terminatedOn',
        'o.siret',
        'o.legalName',
      ])
      .where('cc.certificationId', '=', scope.certificationId)
      .where('c.startsOn', '<=', to ?? END_OF_TIME)
      .where((eb) => eb.or([eb('c.endsOn', 'is', null), eb('c.endsOn', '>=', from ?? START_OF_TIME)]));
    if (scope.organisationId) q = q.where('c.organisationId', '=', scope.organisationId);
    return q.orderBy('o.legalName').orderBy('c.reference').orderBy('c.version').execute();
  }

  /**
   * Controls about the certification, or about one of its partners without a certification named, planned
   * or performed in the period.
   */
  controls(scope: DossierScope) {
    const { from, to } = scope.period;
    let q = this.db
      .selectFrom('controls as c')
      .leftJoin('organisations as o', 'o.id', 'c.organisationId')
      .select([
        'c.id',
        'c.kind',
        'c.ruleId',
        'c.title',
        'c.organisationId',
        'c.status',
        'c.plannedOn',
        'c.performedOn',
        'o.siret',
        'o.legalName',
      ])
      .where(aboutCertification(sql.raw('c'), scope.certificationId))
      .where(
        sql<string>`coalesce(c.performed_on, c.planned_on, c.created_at::date)`,
        '>=',
        from ?? START_OF_TIME,
      )
      .where(
        sql<string>`coalesce(c.performed_on, c.planned_on, c.created_at::date)`,
        '<=',
        to ?? END_OF_TIME,
      );
    if (scope.organisationId) q = q.where('c.organisationId', '=', scope.organisationId);
    return q.orderBy(sql`coalesce(c.performed_on, c.planned_on)`).orderBy('c.id').execute();
  }

  /** Findings about the certification (or one of its partners) alive at some point of the period. */
  findings(scope: DossierScope) {
    const { from, to } = scope.period;
    let q = this.db
      .selectFrom('findings as f')
      .leftJoin('organisations as o', 'o.id', 'f.organisationId')
      .select([
        'f.id',
        'f.controlId',
        'f.ruleId',
        'f.organisationId',
        'f.title',
        'f.severity',
        'f.status',
        'f.openedAt',
        'f.closedAt',
        'o.siret',
        'o.legalName',
      ])
      .where(aboutCertification(sql.raw('f'), scope.certificationId))
      .where(sql<string>`f.opened_at::date`, '<=', to ?? END_OF_TIME)
      .where((eb) =>
        eb.or([
          eb('f.closedAt', 'is', null),
          eb(sql<string>`f.closed_at::date`, '>=', from ?? START_OF_TIME),
        ]),
      );
    if (scope.organisationId) q = q.where('f.organisationId', '=', scope.organisationId);
    return q.orderBy('f.openedAt').orderBy('f.id').execute();
  }

  async correctiveActions(findingIds: readonly string[]) {
    const out: {
      id: string;
      findingId: string;
      description: string;
      dueOn: string;
      status: string;
      submittedAt: Date | null;
      verifiedAt: Date | null;
    }[] = [];
    for (const ids of chunks(findingIds))
      out.push(
        ...(await this.db
          .selectFrom('correctiveActions')
          .select(['id', 'findingId', 'description', 'dueOn', 'status', 'submittedAt', 'verifiedAt'])
          .where('findingId', 'in', ids)
          .orderBy('createdAt')
          .execute()),
      );
    return out;
  }

  /** Sanctions decided in the period against the certification's partners (on its habilitations, or general). */
  sanctions(scope: DossierScope) {
    const { from, to } = scope.period;
    let q = this.db
      .selectFrom('sanctions as s')
      .innerJoin('organisations as o', 'o.id', 's.organisationId')
      .leftJoin('habilitations as h', 'h.id', 's.habilitationId')
      .select([
        's.id',
        's.organisationId',
        's.habilitationId',
        's.level',
        's.reasons',
        's.decidedOn',
        's.replyDueOn',
        's.repliedAt',
        's.status',
        'o.siret',
        'o.legalName',
      ])
      .where((eb) =>
        eb.or([
          eb('h.certificationId', '=', scope.certificationId),
          eb.and([
            eb('s.habilitationId', 'is', null),
            eb(
              's.organisationId',
              'in',
              eb
                .selectFrom('habilitations')
                .select('organisationId')
                .where('certificationId', '=', scope.certificationId),
            ),
          ]),
        ]),
      )
      .where('s.decidedOn', '>=', from ?? START_OF_TIME)
      .where('s.decidedOn', '<=', to ?? END_OF_TIME);
    if (scope.organisationId) q = q.where('s.organisationId', '=', scope.organisationId);
    return q.orderBy('s.decidedOn').orderBy('s.id').execute();
  }

  async sanctionFindings(sanctionIds: readonly string[]) {
    const out: { sanctionId: string; findingId: string }[] = [];
    for (const ids of chunks(sanctionIds))
      out.push(
        ...(await this.db
          .selectFrom('sanctionFindings')
          .select(['sanctionId', 'findingId'])
          .where('sanctionId', 'in', ids)
          .execute()),
      );
    return out;
  }

  trainingSessions(scope: DossierScope) {
    const { from, to } = scope.period;
    let q = this.db
      .selectFrom('trainingSessions as t')
      .select([
        't.id',
        't.organisationId',
        't.startsOn',
        't.endsOn',
        (eb) =>
          eb
            .selectFrom('trainingEnrolments')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('trainingEnrolments.trainingSessionId', '=', 't.id')
            .as('enrolled'),
      ])
      .where('t.certificationId', '=', scope.certificationId)
      .where('t.startsOn', '<=', to ?? END_OF_TIME)
      .where('t.endsOn', '>=', from ?? START_OF_TIME);
    if (scope.organisationId) q = q.where('t.organisationId', '=', scope.organisationId);
    return q.orderBy('t.startsOn').execute();
  }

  assessmentSessions(scope: DossierScope) {
    const { from, to } = scope.period;
    let q = this.db
      .selectFrom('assessmentSessions as a')
      .leftJoin('organisations as o', 'o.id', 'a.organiserId')
      .select([
        'a.id',
        'a.organiserId',
        'a.startsAt',
        'a.place',
        'a.status',
        'a.declaredAt',
        'o.legalName',
        (eb) =>
          eb
            .selectFrom('assessmentSessionCandidates')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('assessmentSessionCandidates.assessmentSessionId', '=', 'a.id')
            .as('candidates'),
        (eb) =>
          eb
            .selectFrom('assessmentSessionEvaluators')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('assessmentSessionEvaluators.assessmentSessionId', '=', 'a.id')
            .as('evaluators'),
        (eb) =>
          eb
            .selectFrom('assessmentResults')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('assessmentResults.assessmentSessionId', '=', 'a.id')
            .as('results'),
      ])
      .where('a.certificationId', '=', scope.certificationId)
      .where(sql<string>`a.starts_at::date`, '>=', from ?? START_OF_TIME)
      .where(sql<string>`a.starts_at::date`, '<=', to ?? END_OF_TIME);
    if (scope.organisationId) q = q.where('a.organiserId', '=', scope.organisationId);
    return q.orderBy('a.startsAt').execute();
  }

  /** Juries of the period; for a partner's dossier, those that deliberated on its candidates. */
  juries(scope: DossierScope) {
    const { from, to } = scope.period;
    const org = scope.organisationId;
    const decisionCount = (decision: string) =>
      sql<number>`(select count(*) from deliberations d ${org ? sql`join candidates c on c.id = d.candidate_id` : sql``} where d.jury_id = j.id and d.decision = ${decision} ${org ? sql`and c.organisation_id = ${org}` : sql``})`;
    let q = this.db
      .selectFrom('juries as j')
      .select([
        'j.id',
        'j.meetsOn',
        'j.place',
        'j.status',
        'j.minutesId',
        'j.signedAt',
        (eb) =>
          eb
            .selectFrom('juryMembers')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('juryMembers.juryId', '=', 'j.id')
            .as('members'),
        (eb) =>
          eb
            .selectFrom('juryMembers')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('juryMembers.juryId', '=', 'j.id')
            .where('juryMembers.hasConflictOfInterest', '=', true)
            .as('conflicts'),
        decisionCount('certified').as('certified'),
        decisionCount('certified_by_blocks').as('certifiedByBlocks'),
        decisionCount('failed').as('failed'),
        decisionCount('postponed').as('postponed'),
      ])
      .where('j.certificationId', '=', scope.certificationId)
      .where('j.meetsOn', '>=', from ?? START_OF_TIME)
      .where('j.meetsOn', '<=', to ?? END_OF_TIME);
    if (org)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('deliberations as d')
            .innerJoin('candidates as c', 'c.id', 'd.candidateId')
            .select('d.id')
            .whereRef('d.juryId', '=', 'j.id')
            .where('c.organisationId', '=', org),
        ),
      );
    return q.orderBy('j.meetsOn').execute();
  }

  certificates(scope: DossierScope) {
    const { from, to } = scope.period;
    let q = this.db
      .selectFrom('certificates as x')
      .innerJoin('candidates as c', 'c.id', 'x.candidateId')
      .select([
        'x.id',
        'x.number',
        'x.issuedOn',
        'x.accrochageStatus',
        'x.accrochageMessage',
        'x.revokedAt',
        'c.organisationId',
      ])
      .where('x.certificationId', '=', scope.certificationId)
      .where('x.issuedOn', '>=', from ?? START_OF_TIME)
      .where('x.issuedOn', '<=', to ?? END_OF_TIME);
    if (scope.organisationId) q = q.where('c.organisationId', '=', scope.organisationId);
    return q.orderBy('x.issuedOn').orderBy('x.number').execute();
  }

  /**
   * The evidence files linked to any of these records, with the links that matter (one row per link).
   * `entities` maps an entity type to the ids of the dossier's records of that type.
   */
  async evidenceLinks(entities: ReadonlyMap<string, readonly string[]>) {
    const out: {
      evidenceId: string;
      sha256: string;
      fileName: string;
      mediaType: string;
      sizeBytes: number;
      description: string | null;
      uploadedAt: Date;
      entityType: string;
      entityId: string;
      purpose: string | null;
    }[] = [];
    for (const [entityType, allIds] of entities) {
      for (const ids of chunks(allIds)) {
        if (!ids.length) continue;
        out.push(
          ...(await this.db
            .selectFrom('evidenceLinks as l')
            .innerJoin('evidenceFiles as e', 'e.id', 'l.evidenceId')
            .select([
              'e.id as evidenceId',
              'e.sha256',
              'e.fileName',
              'e.mediaType',
              'e.sizeBytes',
              'e.description',
              'e.uploadedAt',
              'l.entityType',
              'l.entityId',
              'l.purpose',
            ])
            .where('l.entityType', '=', entityType)
            .where('l.entityId', 'in', ids)
            .execute()),
        );
      }
    }
    return out;
  }

  /** Evidence files by id (those named directly by a record: declarations, jury minutes). */
  async evidenceFiles(ids: readonly string[]) {
    const out: {
      id: string;
      sha256: string;
      fileName: string;
      mediaType: string;
      sizeBytes: number;
      description: string | null;
      uploadedAt: Date;
    }[] = [];
    for (const chunk of chunks(ids))
      out.push(
        ...(await this.db
          .selectFrom('evidenceFiles')
          .select(['id', 'sha256', 'fileName', 'mediaType', 'sizeBytes', 'description', 'uploadedAt'])
          .where('id', 'in', chunk)
          .execute()),
      );
    return out;
  }

  /** The head of the audit chain now. */
  auditHead() {
    return this.db
      .selectFrom('auditLog')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The chain from `fromSeq` to `toSeq`, in batches, in order (flat memory). */
  async *auditRange(fromSeq: number, toSeq: number, batchSize = 2000): AsyncGenerator<AuditLogRow> {
    let after = fromSeq - 1;
    while (after < toSeq) {
      const rows = await selectAuditEntries(this.db.selectFrom('auditLog'))
        .where('seq', '>', after)
        .where('seq', '<=', toSeq)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      for (const row of rows) yield toAuditRow(row);
      if (rows.length < batchSize) return;
      after = rows.at(-1)!.seq;
    }
  }

  /** The first audit entry about any of these records (entity ids as text), up to `toSeq`. */
  async firstAuditSeq(entityIds: readonly string[], toSeq: number): Promise<number | null> {
    let first: number | null = null;
    for (const ids of chunks(entityIds)) {
      const row = await this.db
        .selectFrom('auditLog')
        .select((eb) => eb.fn.min<number>('seq').as('seq'))
        .where('entityId', 'in', ids)
        .where('seq', '<=', toSeq)
        .executeTakeFirst();
      if (row?.seq != null && (first === null || row.seq < first)) first = row.seq;
    }
    return first;
  }

  /** The last audit entry about each record (entity ids as text), up to `toSeq`: the record's proof in the log. */
  async lastAuditSeqs(entityIds: readonly string[], toSeq: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const ids of chunks(entityIds)) {
      const rows = await this.db
        .selectFrom('auditLog')
        .select(['entityId', (eb) => eb.fn.max<number>('seq').as('seq')])
        .where('entityId', 'in', ids)
        .where('seq', '<=', toSeq)
        .groupBy('entityId')
        .execute();
      for (const row of rows) if (row.entityId) out.set(row.entityId, row.seq);
    }
    return out;
  }
}
