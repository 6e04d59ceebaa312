import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Database } from '../database.js';
import type { PartnerRequestEventsTable, PartnerRequestsTable } from '../schema.js';

export type PartnerRequestRow = Selectable<PartnerRequestsTable>;
export type PartnerRequestEventRow = Selectable<PartnerRequestEventsTable>;

/** A request with the names the lists show: organisation, linked habilitation, convention and finding. */
export type PartnerRequestListRow = PartnerRequestRow & {
  organisationName: string;
  createdByLabel: string | null;
  habilitationCode: string | null;
  conventionReference: string | null;
  findingTitle: string | null;
};

export interface PartnerRequestFilter {
  /** Only these organisations (a partner's scope). */
  organisationId?: string | undefined;
  status?: 'open' | 'answered' | 'accepted' | 'reopened' | 'overdue' | undefined;
  awaiting?: 'partner' | 'certifier' | undefined;
  habilitationId?: string | undefined;
  conventionId?: string | undefined;
  findingId?: string | undefined;
  q?: string | undefined;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class PartnerRequestRepository {
  constructor(private readonly db: Database) {}

  insert(row: Insertable<PartnerRequestsTable>): Promise<PartnerRequestRow> {
    return this.db.insertInto('partnerRequests').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: Updateable<PartnerRequestsTable>): Promise<PartnerRequestRow> {
    return this.db
      .updateTable('partnerRequests')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The row, locked until the transaction ends (two reviews of one answer cannot cross). */
  findByIdForUpdate(id: string): Promise<PartnerRequestRow | undefined> {
    return this.db
      .selectFrom('partnerRequests')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  insertEvent(row: Insertable<PartnerRequestEventsTable>): Promise<PartnerRequestEventRow> {
    return this.db.insertInto('partnerRequestEvents').values(row).returningAll().executeTakeFirstOrThrow();
  }

  events(requestId: string): Promise<PartnerRequestEventRow[]> {
    return this.db
      .selectFrom('partnerRequestEvents')
      .selectAll()
      .where('requestId', '=', requestId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  private base() {
    return this.db
      .selectFrom('partnerRequests')
      .innerJoin('organisations', 'organisations.id', 'partnerRequests.organisationId')
      .leftJoin('users', 'users.id', 'partnerRequests.createdBy')
      .leftJoin('habilitations', 'habilitations.id', 'partnerRequests.habilitationId')
      .leftJoin('certifications', 'certifications.id', 'habilitations.certificationId')
      .leftJoin('conventions', 'conventions.id', 'partnerRequests.conventionId')
      .leftJoin('findings', 'findings.id', 'partnerRequests.findingId');
  }

  private withNames(q: ReturnType<PartnerRequestRepository['base']>) {
    return q
      .selectAll('partnerRequests')
      .select([
        'organisations.legalName as organisationName',
        'users.displayName as createdByLabel',
        'certifications.code as habilitationCode',
        'conventions.reference as conventionReference',
        'findings.title as findingTitle',
      ]);
  }

  findWithNames(id: string): Promise<PartnerRequestListRow | undefined> {
    return this.withNames(this.base()).where('partnerRequests.id', '=', id).executeTakeFirst();
  }

  async list(
    filter: PartnerRequestFilter,
    today: string,
    sort: { key: 'dueOn' | 'createdAt' | 'organisation'; order: 'asc' | 'desc' },
    page: { limit: number; offset: number },
  ): Promise<{ items: PartnerRequestListRow[]; total: number }> {
    let q = this.base();
    if (filter.organisationId) q = q.where('partnerRequests.organisationId', '=', filter.organisationId);
    if (filter.habilitationId) q = q.where('partnerRequests.habilitationId', '=', filter.habilitationId);
    if (filter.conventionId) q = q.where('partnerRequests.conventionId', '=', filter.conventionId);
    if (filter.findingId) q = q.where('partnerRequests.findingId', '=', filter.findingId);
    if (filter.q) q = q.where('partnerRequests.title', 'ilike', `%${escapeLike(filter.q)}%`);
    if (filter.awaiting === 'partner') q = q.where('partnerRequests.status', 'in', ['open', 'reopened']);
    if (filter.awaiting === 'certifier') q = q.where('partnerRequests.status', '=', 'answered');
    if (filter.status === 'overdue') {
      q = q
        .where('partnerRequests.status', 'in', ['open', 'reopened'])
        .where('partnerRequests.dueOn', '<', today);
    } else if (filter.status === 'open' || filter.status === 'reopened') {
      // As shown: an open request past its due date is listed as overdue, not as open.
      q = q.where('partnerRequests.status', '=', filter.status).where('partnerRequests.dueOn', '>=', today);
    } else if (filter.status) {
      q = q.where('partnerRequests.status', '=', filter.status);
    }
    const column =
      sort.key === 'organisation'
        ? sql`lower(organisations.legal_name)`
        : sort.key === 'createdAt'
          ? sql`partner_requests.created_at`
          : sql`partner_requests.due_on`;
    const [items, count] = await Promise.all([
      this.withNames(q)
        .orderBy(column, sort.order)
        .orderBy('partnerRequests.createdAt', 'desc')
        .orderBy('partnerRequests.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  /** The files named by an answer, with their owner (to check they are the answering partner's). */
  evidenceFiles(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('evidenceFiles')
      .select(['id', 'fileName', 'sizeBytes', 'mediaType', 'organisationId'])
      .where('id', 'in', [...ids])
      .execute();
  }

  /** Partner users of an organisation who can sign in: those a request is e-mailed to. */
  partnerRecipients(organisationId: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'email', 'displayName', 'locale'])
      .where('organisationId', '=', organisationId)
      .where('role', '=', 'partner')
      .where('isActive', '=', true)
      .where('passwordHash', 'is not', null)
      .orderBy('email')
      .execute();
  }

  user(id: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'email', 'displayName', 'locale', 'isActive'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** What a request may be tied to, with its organisation (it must be the request's). */
  async ownerOf(kind: 'habilitation' | 'convention' | 'finding', id: string) {
    const table = (
      { habilitation: 'habilitations', convention: 'conventions', finding: 'findings' } as const
    )[kind];
    return this.db.selectFrom(table).select('organisationId').where('id', '=', id).executeTakeFirst();
  }
}
