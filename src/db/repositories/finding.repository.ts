import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { FindingListQuery } from '../../core/findings/finding.schema.js';
import type { Database } from '../database.js';
import type { CorrectiveActionsTable, FindingsTable } from '../schema.js';

export type FindingRow = Selectable<FindingsTable>;
export type CorrectiveActionRow = Selectable<CorrectiveActionsTable>;

export class FindingRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<FindingRow | undefined> {
    return this.db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The live (not closed) finding a rule already opened on the same subject, if any. */
  findOpenBySubject(ruleId: string, subjectKey: string): Promise<FindingRow | undefined> {
    return this.db
      .selectFrom('findings')
      .selectAll()
      .where('ruleId', '=', ruleId)
      .where('subjectKey', '=', subjectKey)
      .where('status', '<>', 'closed')
      .executeTakeFirst();
  }

  /** `scope`: only findings about this organisation (a partner's view); null: all. */
  async list(query: FindingListQuery, scope: string | null) {
    let base = this.db.selectFrom('findings');
    if (scope !== null) base = base.where('organisationId', '=', scope);
    if (query.organisationId) base = base.where('organisationId', '=', query.organisationId);
    if (query.controlId) base = base.where('controlId', '=', query.controlId);
    if (query.status) base = base.where('status', '=', query.status);
    if (query.severity) base = base.where('severity', '=', query.severity);
    const [items, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('openedAt', 'desc')
        .orderBy('id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  insert(row: Insertable<FindingsTable>): Promise<FindingRow> {
    return this.db.insertInto('findings').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: Updateable<FindingsTable>): Promise<FindingRow> {
    return this.db
      .updateTable('findings')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  correctiveActionsOf(findingId: string): Promise<CorrectiveActionRow[]> {
    return this.db
      .selectFrom('correctiveActions')
      .selectAll()
      .where('findingId', '=', findingId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  }

  findCorrectiveAction(findingId: string, id: string): Promise<CorrectiveActionRow | undefined> {
    return this.db
      .selectFrom('correctiveActions')
      .selectAll()
      .where('findingId', '=', findingId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  insertCorrectiveAction(row: Insertable<CorrectiveActionsTable>): Promise<CorrectiveActionRow> {
    return this.db.insertInto('correctiveActions').values(row).returningAll().executeTakeFirstOrThrow();
  }

  updateCorrectiveAction(
    id: string,
    changes: Updateable<CorrectiveActionsTable>,
  ): Promise<CorrectiveActionRow> {
    return this.db
      .updateTable('correctiveActions')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
