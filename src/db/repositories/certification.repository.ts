import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { CertificationListQuery } from '../../core/certifications/certification.schema.js';
import type { Database } from '../database.js';
import type { CertificationsTable, SkillBlocksTable } from '../schema.js';

export type CertificationRow = Selectable<CertificationsTable>;
export type NewCertificationRow = Insertable<CertificationsTable>;
export type CertificationUpdate = Updateable<CertificationsTable>;
export type SkillBlockRow = Selectable<SkillBlocksTable>;
export type NewSkillBlockRow = Insertable<SkillBlocksTable>;
export type SkillBlockUpdate = Updateable<SkillBlocksTable>;
export type CertificationListRow = CertificationRow & { skillBlockCount: number };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class CertificationRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<CertificationRow | undefined> {
    return this.db.selectFrom('certifications').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByCode(code: string): Promise<CertificationRow | undefined> {
    return this.db.selectFrom('certifications').selectAll().where('code', '=', code).executeTakeFirst();
  }

  /** The certifications among `ids` that exist (any order). */
  findByIds(ids: readonly string[]): Promise<CertificationRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('certifications')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }

  async list(query: CertificationListQuery): Promise<{ items: CertificationListRow[]; total: number }> {
    let base = this.db.selectFrom('certifications');
    if (query.active !== undefined) base = base.where('isActive', '=', query.active);
    if (query.owned !== undefined) base = base.where('isOwned', '=', query.owned);
    if (query.register) base = base.where('register', '=', query.register);
    if (query.q) {
      const like = `%${escapeLike(query.q)}%`;
      const compact = query.q.replace(/[\s.\-_]/g, '').toUpperCase();
      const codeLikes = /^\d{1,6}$/.test(compact)
        ? [`RNCP${compact}%`, `RS${compact}%`]
        : /^(RNCP|RS)\d{0,6}$/.test(compact)
          ? [`${compact}%`]
          : [];
      base = base.where((eb) =>
        eb.or([eb('title', 'ilike', like), ...codeLikes.map((pattern) => eb('code', 'like', pattern))]),
      );
    }
    const direction = query.order === 'desc' ? sql`desc` : sql`asc`;
    // Codes sort by register, then by number (RNCP999 before RNCP35419), not as text.
    const order =
      query.sort === 'title'
        ? sql`lower(title) ${direction}`
        : query.sort === 'createdAt'
          ? sql`created_at ${direction}`
          : sql`register ${direction}, substring(code from '[0-9]+$')::int ${direction}`;
    const [items, count] = await Promise.all([
      base
        .selectAll('certifications')
        .select((eb) =>
          eb
            .selectFrom('skillBlocks')
            .whereRef('skillBlocks.certificationId', '=', 'certifications.id')
            .select((e) => e.fn.countAll<number>().as('n'))
            .as('skillBlockCount'),
        )
        .orderBy(order)
        .orderBy('id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: items.map((row) => ({ ...row, skillBlockCount: Number(row.skillBlockCount ?? 0) })),
      total: count.n,
    };
  }

  insert(row: NewCertificationRow): Promise<CertificationRow> {
    return this.db.insertInto('certifications').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: CertificationUpdate): Promise<CertificationRow> {
    return this.db
      .updateTable('certifications')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The skill blocks of a certification, in code order. */
  skillBlocksOf(certificationId: string): Promise<SkillBlockRow[]> {
    return this.db
      .selectFrom('skillBlocks')
      .selectAll()
      .where('certificationId', '=', certificationId)
      .orderBy('code')
      .execute();
  }

  findSkillBlockById(id: string): Promise<SkillBlockRow | undefined> {
    return this.db.selectFrom('skillBlocks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The skill blocks among `ids` that exist, whatever their certification. */
  findSkillBlocksByIds(ids: readonly string[]): Promise<SkillBlockRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('skillBlocks')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }

  /** The skill blocks among `codes` that exist, whatever their certification. */
  findSkillBlocksByCodes(codes: readonly string[]): Promise<SkillBlockRow[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('skillBlocks')
      .selectAll()
      .where('code', 'in', [...codes])
      .execute();
  }

  insertSkillBlocks(rows: readonly NewSkillBlockRow[]): Promise<SkillBlockRow[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return this.db
      .insertInto('skillBlocks')
      .values([...rows])
      .returningAll()
      .execute();
  }

  updateSkillBlock(id: string, changes: SkillBlockUpdate): Promise<SkillBlockRow> {
    return this.db
      .updateTable('skillBlocks')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
