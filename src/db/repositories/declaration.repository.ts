import { type Insertable, type Selectable, sql } from 'kysely';
import type { Database } from '../database.js';
import type { FcDeclarationsTable } from '../schema.js';

export type FcDeclarationRow = Selectable<FcDeclarationsTable>;
export type NewFcDeclarationRow = Insertable<FcDeclarationsTable>;

/** What every change carries about its habilitation, partner and certification. */
interface ChangeSubject {
  habilitationId: string;
  organisationId: string;
  organisationName: string;
  siret: string;
  certificationId: string;
  certificationCode: string;
  certificationTitle: string;
  /** The habilitation's scope today. */
  scope: string;
  declaredOn: string | null;
  declarationReference: string | null;
  declarationEvidenceId: string | null;
  declaredBy: string | null;
}

export interface DecisionChangeRow extends ChangeSubject {
  decisionId: string;
  fromStatus: string | null;
  toStatus: string;
  decidedAt: Date;
}

export interface ScopeChangeRow extends ChangeSubject {
  auditSeq: string;
  fromScope: string;
  toScope: string;
  /** The habilitation's status when its scope changed. */
  statusThen: string;
  at: Date;
}

export interface ChangeFilter {
  /** Only these organisations; an empty list matches nothing. */
  organisationIds?: string[] | undefined;
  certificationId?: string | undefined;
  /** true: declared only; false: not declared only; undefined: both. */
  declared?: boolean | undefined;
  /** Only these decisions (decisionChanges) or audit entries (scopeChanges). */
  ids?: string[] | undefined;
}

/** Habilitation statuses a decision may move to that can change the declared list. */
const LIST_CHANGING_STATUSES = ['active', 'under_watch', 'suspended', 'withdrawn', 'expired', 'ended'];

export interface PairHabilitationRow {
  id: string;
  organisationId: string;
  siret: string;
  legalName: string;
  certificationId: string;
  certificationCode: string;
  certificationTitle: string;
  scope: string;
  status: string;
  startsOn: string;
  endsOn: string | null;
  updatedAt: Date;
}

export class DeclarationRepository {
  constructor(private readonly db: Database) {}

  private subjects() {
    return this.db
      .selectFrom('habilitations')
      .innerJoin('organisations', 'organisations.id', 'habilitations.organisationId')
      .innerJoin('certifications', 'certifications.id', 'habilitations.certificationId');
  }

  /** Decisions that may change the declared list (the pure rule decides which do), with their declaration. */
  async decisionChanges(filter: ChangeFilter): Promise<DecisionChangeRow[]> {
    if (filter.organisationIds?.length === 0) return [];
    let query = this.subjects()
      .innerJoin('habilitationDecisions', 'habilitationDecisions.habilitationId', 'habilitations.id')
      .leftJoin('fcDeclarations', (join) =>
        join.on('fcDeclarations.changeId', '=', sql<string>`'decision:' || habilitation_decisions.id::text`),
      )
      .where('habilitationDecisions.toStatus', 'in', LIST_CHANGING_STATUSES)
      .select([
        'habilitations.id as habilitationId',
        'organisations.id as organisationId',
        'organisations.legalName as organisationName',
        'organisations.siret',
        'certifications.id as certificationId',
        'certifications.code as certificationCode',
        'certifications.title as certificationTitle',
        'habilitations.scope',
        'habilitationDecisions.id as decisionId',
        'habilitationDecisions.fromStatus',
        'habilitationDecisions.toStatus',
        'habilitationDecisions.decidedAt',
        'fcDeclarations.declaredOn',
        'fcDeclarations.reference as declarationReference',
        'fcDeclarations.evidenceId as declarationEvidenceId',
        'fcDeclarations.declaredBy',
      ]);
    if (filter.organisationIds)
      query = query.where('habilitations.organisationId', 'in', filter.organisationIds);
    if (filter.certificationId)
      query = query.where('habilitations.certificationId', '=', filter.certificationId);
    if (filter.declared === true) query = query.where('fcDeclarations.changeId', 'is not', null);
    if (filter.declared === false) query = query.where('fcDeclarations.changeId', 'is', null);
    if (filter.ids) {
      if (filter.ids.length === 0) return [];
      query = query.where('habilitationDecisions.id', 'in', filter.ids);
    }
    return query.orderBy('habilitationDecisions.decidedAt').orderBy('habilitationDecisions.id').execute();
  }

  /**
   * Changes of scope of habilitations, as the audit log recorded them (`habilitation.update` entries whose
   * scope differs before and after), with their declaration.
   */
  async scopeChanges(filter: ChangeFilter): Promise<ScopeChangeRow[]> {
    if (filter.organisationIds?.length === 0) return [];
    let query = this.subjects()
      .innerJoin('auditLog', (join) =>
        join
          .on(sql<string>`audit_log.entity_id`, '=', sql<string>`habilitations.id::text`)
          .on('auditLog.entityType', '=', 'habilitation')
          .on('auditLog.action', '=', 'habilitation.update'),
      )
      .leftJoin('fcDeclarations', (join) =>
        join.on('fcDeclarations.changeId', '=', sql<string>`'scope:' || audit_log.seq::text`),
      )
      .where(sql<boolean>`audit_log.before ->> 'scope' is distinct from audit_log.after ->> 'scope'`)
      .select([
        'habilitations.id as habilitationId',
        'organisations.id as organisationId',
        'organisations.legalName as organisationName',
        'organisations.siret',
        'certifications.id as certificationId',
        'certifications.code as certificationCode',
        'certifications.title as certificationTitle',
        'habilitations.scope',
        sql<string>`audit_log.seq::text`.as('auditSeq'),
        sql<string>`audit_log.before ->> 'scope'`.as('fromScope'),
        sql<string>`audit_log.after ->> 'scope'`.as('toScope'),
        sql<string>`audit_log.before ->> 'status'`.as('statusThen'),
        'auditLog.at',
        'fcDeclarations.declaredOn',
        'fcDeclarations.reference as declarationReference',
        'fcDeclarations.evidenceId as declarationEvidenceId',
        'fcDeclarations.declaredBy',
      ]);
    if (filter.organisationIds)
      query = query.where('habilitations.organisationId', 'in', filter.organisationIds);
    if (filter.certificationId)
      query = query.where('habilitations.certificationId', '=', filter.certificationId);
    if (filter.declared === true) query = query.where('fcDeclarations.changeId', 'is not', null);
    if (filter.declared === false) query = query.where('fcDeclarations.changeId', 'is', null);
    if (filter.ids) {
      if (filter.ids.length === 0) return [];
      query = query.where(sql<string>`audit_log.seq::text`, 'in', filter.ids);
    }
    return query.orderBy('auditLog.seq').execute();
  }

  /** The habilitations of the given ids with their partner and certification. */
  async habilitationsByIds(ids: readonly string[]): Promise<PairHabilitationRow[]> {
    if (ids.length === 0) return [];
    const rows: PairHabilitationRow[] = [];
    // Chunked: a network has tens of thousands of habilitations, and a statement's parameters are limited.
    for (let i = 0; i < ids.length; i += 5000) {
      rows.push(
        ...(await this.subjects()
          .select([
            'habilitations.id',
            'organisations.id as organisationId',
            'organisations.siret',
            'organisations.legalName',
            'certifications.id as certificationId',
            'certifications.code as certificationCode',
            'certifications.title as certificationTitle',
            'habilitations.scope',
            'habilitations.status',
            'habilitations.startsOn',
            'habilitations.endsOn',
            'habilitations.updatedAt',
          ])
          .where('habilitations.id', 'in', ids.slice(i, i + 5000))
          .execute()),
      );
    }
    return rows;
  }

  findDeclarations(changeIds: readonly string[]): Promise<FcDeclarationRow[]> {
    if (changeIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('fcDeclarations')
      .selectAll()
      .where('changeId', 'in', [...changeIds])
      .execute();
  }

  async insertDeclarations(rows: readonly NewFcDeclarationRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('fcDeclarations')
      .values([...rows])
      .execute();
  }
}
