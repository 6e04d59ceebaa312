import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Database } from '../database.js';
import type { ConventionsTable } from '../schema.js';

export type ConventionRow = Selectable<ConventionsTable>;
export type NewConventionRow = Insertable<ConventionsTable>;
export type ConventionUpdate = Updateable<ConventionsTable>;
export type ConventionListRow = ConventionRow & { organisationName: string };

export interface ConventionCertificationRow {
  conventionId: string;
  id: string;
  code: string;
  title: string;
}

export interface ConventionFilter {
  /** Only these organisations (a partner's scope, or a filter). */
  organisationIds?: string[];
  certificationId?: string | undefined;
  status?: string | undefined;
  /** Part of the reference. */
  q?: string | undefined;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class ConventionRepository {
  constructor(private readonly db: Database) {}

  private withNames() {
    return this.db
      .selectFrom('conventions')
      .innerJoin('organisations', 'organisations.id', 'conventions.organisationId');
  }

  findById(id: string): Promise<ConventionListRow | undefined> {
    return this.withNames()
      .selectAll('conventions')
      .select('organisations.legalName as organisationName')
      .where('conventions.id', '=', id)
      .executeTakeFirst();
  }

  /** Locks the convention's row until the end of the transaction. */
  async lockById(id: string): Promise<void> {
    await this.db.selectFrom('conventions').select('id').where('id', '=', id).forUpdate().execute();
  }

  findByReference(reference: string): Promise<ConventionRow | undefined> {
    return this.db
      .selectFrom('conventions')
      .selectAll()
      .where(sql<string>`lower(reference)`, '=', reference.toLowerCase())
      .executeTakeFirst();
  }

  async list(
    filter: ConventionFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: ConventionListRow[]; total: number }> {
    let base = this.withNames();
    if (filter.organisationIds) {
      if (filter.organisationIds.length === 0) return { items: [], total: 0 };
      base = base.where('conventions.organisationId', 'in', filter.organisationIds);
    }
    if (filter.status) base = base.where('conventions.status', '=', filter.status);
    if (filter.q) base = base.where('conventions.reference', 'ilike', `%${escapeLike(filter.q)}%`);
    if (filter.certificationId) {
      const certificationId = filter.certificationId;
      base = base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('conventionCertifications')
            .select('conventionCertifications.conventionId')
            .whereRef('conventionCertifications.conventionId', '=', 'conventions.id')
            .where('conventionCertifications.certificationId', '=', certificationId),
        ),
      );
    }
    const [items, count] = await Promise.all([
      base
        .selectAll('conventions')
        .select('organisations.legalName as organisationName')
        .orderBy(sql`lower(organisations.legal_name)`)
        .orderBy('conventions.startsOn', 'desc')
        .orderBy('conventions.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  /** The conventions of an organisation that name this certification, whatever their status. */
  listCovering(organisationId: string, certificationId: string): Promise<ConventionRow[]> {
    return this.db
      .selectFrom('conventions')
      .innerJoin('conventionCertifications', 'conventionCertifications.conventionId', 'conventions.id')
      .selectAll('conventions')
      .where('conventions.organisationId', '=', organisationId)
      .where('conventionCertifications.certificationId', '=', certificationId)
      .execute();
  }

  /** The certifications each convention covers, in code order. */
  async certificationsOf(
    conventionIds: readonly string[],
  ): Promise<Map<string, ConventionCertificationRow[]>> {
    const byConvention = new Map<string, ConventionCertificationRow[]>();
    if (conventionIds.length === 0) return byConvention;
    const rows = await this.db
      .selectFrom('conventionCertifications')
      .innerJoin('certifications', 'certifications.id', 'conventionCertifications.certificationId')
      .select([
        'conventionCertifications.conventionId',
        'certifications.id',
        'certifications.code',
        'certifications.title',
      ])
      .where('conventionCertifications.conventionId', 'in', [...conventionIds])
      .orderBy('certifications.code')
      .execute();
    for (const row of rows) {
      const list = byConvention.get(row.conventionId) ?? [];
      list.push(row);
      byConvention.set(row.conventionId, list);
    }
    return byConvention;
  }

  insert(row: NewConventionRow): Promise<ConventionRow> {
    return this.db.insertInto('conventions').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: ConventionUpdate): Promise<ConventionRow> {
    return this.db
      .updateTable('conventions')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Replaces the certifications a convention covers. */
  async replaceCertifications(conventionId: string, certificationIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('conventionCertifications').where('conventionId', '=', conventionId).execute();
    if (certificationIds.length === 0) return;
    await this.db
      .insertInto('conventionCertifications')
      .values(certificationIds.map((certificationId) => ({ conventionId, certificationId })))
      .execute();
  }
}
