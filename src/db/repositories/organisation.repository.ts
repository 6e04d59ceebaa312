import { sql } from 'kysely';
import type { OrganisationListQuery } from '../../core/organisations/organisation.schema.js';
import type { Database } from '../database.js';
import type { NewOrganisationRow, OrganisationRow, OrganisationUpdate } from '../schema.js';

const sortColumns = {
  legalName: sql`lower(legal_name)`,
  siret: sql`siret`,
  createdAt: sql`created_at`,
  city: sql`lower(city)`,
} as const;

export class OrganisationRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<OrganisationRow | undefined> {
    return this.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findBySiret(siret: string): Promise<OrganisationRow | undefined> {
    return this.db.selectFrom('organisations').selectAll().where('siret', '=', siret).executeTakeFirst();
  }

  /** `scope`: only this organisation (a partner's view); null: all. */
  async list(
    query: OrganisationListQuery,
    scope: string | null,
  ): Promise<{ items: OrganisationRow[]; total: number }> {
    let base = this.db.selectFrom('organisations');
    if (scope !== null) base = base.where('id', '=', scope);
    if (!query.includeArchived) base = base.where('archivedAt', 'is', null);
    if (query.qualiopiStatus) base = base.where('qualiopiStatus', '=', query.qualiopiStatus);
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const digits = query.q.replace(/\s/g, '');
      base = base.where((eb) =>
        eb.or([
          eb('legalName', 'ilike', like),
          eb('tradeName', 'ilike', like),
          eb('city', 'ilike', like),
          ...(/^\d{3,14}$/.test(digits) ? [eb('siret', 'like', `${digits}%`)] : []),
        ]),
      );
    }
    const direction = query.order === 'desc' ? sql`desc` : sql`asc`;
    const [items, count] = await Promise.all([
      base
        .selectAll()
        .orderBy(sql`${sortColumns[query.sort]} ${direction}`)
        .orderBy('id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  insert(row: NewOrganisationRow): Promise<OrganisationRow> {
    return this.db.insertInto('organisations').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: OrganisationUpdate): Promise<OrganisationRow> {
    return this.db
      .updateTable('organisations')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
