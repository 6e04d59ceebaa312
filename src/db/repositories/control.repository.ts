import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { ControlListQuery } from '../../core/controls/control.schema.js';
import type { Database } from '../database.js';
import type { ControlsTable } from '../schema.js';

export type ControlRow = Selectable<ControlsTable> & { findingCount: number };

export class ControlRepository {
  constructor(private readonly db: Database) {}

  private selectControls() {
    return this.db
      .selectFrom('controls')
      .selectAll('controls')
      .select((eb) =>
        eb
          .selectFrom('findings')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('findings.controlId', '=', 'controls.id')
          .as('findingCount'),
      );
  }

  async findById(id: string): Promise<ControlRow | undefined> {
    const row = await this.selectControls().where('controls.id', '=', id).executeTakeFirst();
    return row && { ...row, findingCount: row.findingCount ?? 0 };
  }

  async list(query: ControlListQuery) {
    let base = this.db.selectFrom('controls');
    if (query.organisationId) base = base.where('organisationId', '=', query.organisationId);
    if (query.kind) base = base.where('kind', '=', query.kind);
    if (query.status) base = base.where('status', '=', query.status);
    const [items, count] = await Promise.all([
      this.selectControls()
        .where('controls.id', 'in', base.select('id'))
        .orderBy(sql`coalesce(controls.performed_on, controls.planned_on) desc nulls last`)
        .orderBy('controls.createdAt', 'desc')
        .orderBy('controls.id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: items.map((r) => ({ ...r, findingCount: r.findingCount ?? 0 })), total: count.n };
  }

  async insert(row: Insertable<ControlsTable>): Promise<string> {
    const inserted = await this.db
      .insertInto('controls')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  }

  async update(id: string, changes: Updateable<ControlsTable>): Promise<void> {
    await this.db
      .updateTable('controls')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }
}
