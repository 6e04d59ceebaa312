import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { SanctionListQuery } from '../../core/sanctions/sanction.schema.js';
import type { Database } from '../database.js';
import type { SanctionsTable } from '../schema.js';

type SanctionBase = Selectable<SanctionsTable> & { organisationName: string };
export type SanctionRow = SanctionBase & { findingIds: string[] };

export class SanctionRepository {
  constructor(private readonly db: Database) {}

  private selectSanctions() {
    return this.db
      .selectFrom('sanctions')
      .innerJoin('organisations', 'organisations.id', 'sanctions.organisationId')
      .selectAll('sanctions')
      .select('organisations.legalName as organisationName');
  }

  private async withFindings(rows: SanctionBase[]): Promise<SanctionRow[]> {
    if (rows.length === 0) return [];
    const links = await this.db
      .selectFrom('sanctionFindings')
      .select(['sanctionId', 'findingId'])
      .where(
        'sanctionId',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('findingId')
      .execute();
    return rows.map((r) => ({
      ...r,
      findingIds: links.filter((l) => l.sanctionId === r.id).map((l) => l.findingId),
    }));
  }

  async findById(id: string): Promise<SanctionRow | undefined> {
    const row = await this.selectSanctions().where('sanctions.id', '=', id).executeTakeFirst();
    return row && (await this.withFindings([row]))[0];
  }

  /**
   * `scope`: only this organisation's sanctions, and only those already notified (a partner's view);
   * null: all.
   */
  async list(query: SanctionListQuery, scope: string | null) {
    let base = this.db.selectFrom('sanctions');
    if (scope !== null) base = base.where('organisationId', '=', scope).where('status', '<>', 'proposed');
    if (query.organisationId) base = base.where('organisationId', '=', query.organisationId);
    if (query.level) base = base.where('level', '=', query.level);
    if (query.status) base = base.where('status', '=', query.status);
    const [rows, count] = await Promise.all([
      this.selectSanctions()
        .where('sanctions.id', 'in', base.select('id'))
        .orderBy('sanctions.decidedOn', 'desc')
        .orderBy('sanctions.createdAt', 'desc')
        .orderBy('sanctions.id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: await this.withFindings(rows), total: count.n };
  }

  async insert(row: Insertable<SanctionsTable>, findingIds: readonly string[]): Promise<string> {
    const inserted = await this.db
      .insertInto('sanctions')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    if (findingIds.length)
      await this.db
        .insertInto('sanctionFindings')
        .values(findingIds.map((findingId) => ({ sanctionId: inserted.id, findingId })))
        .execute();
    return inserted.id;
  }

  async update(id: string, changes: Updateable<SanctionsTable>): Promise<void> {
    await this.db
      .updateTable('sanctions')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** What the sanction suggestion reads: the partner's findings (not dismissed) and its final sanctions. */
  async suggestionFacts(organisationId: string) {
    const [findings, sanctions] = await Promise.all([
      this.db
        .selectFrom('findings')
        .select(['severity', 'openedAt', 'status'])
        .where('organisationId', '=', organisationId)
        .where((eb) => eb.or([eb('status', '<>', 'closed'), eb('qualifiedAt', 'is not', null)]))
        .execute(),
      this.db
        .selectFrom('sanctions')
        .select(['level', 'decidedOn'])
        .where('organisationId', '=', organisationId)
        .where('status', '=', 'final')
        .execute(),
    ]);
    return { findings, sanctions };
  }

  /** The organisation's habilitations, for a sanction to apply to. */
  habilitationsOf(organisationId: string) {
    return this.db
      .selectFrom('habilitations')
      .select(['id', 'status'])
      .where('organisationId', '=', organisationId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  }
}
