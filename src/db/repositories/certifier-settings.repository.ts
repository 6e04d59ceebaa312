import type { Updateable } from 'kysely';
import type { Database } from '../database.js';
import type { CertifierSettingsTable } from '../schema.js';

export type CertifierSettingsChanges = Omit<Updateable<CertifierSettingsTable>, 'id'>;

/** The one row of certifier settings (id = 1); absent until first saved. */
export class CertifierSettingsRepository {
  constructor(private readonly db: Database) {}

  find() {
    return this.db.selectFrom('certifierSettings').selectAll().where('id', '=', 1).executeTakeFirst();
  }

  /** Locks the row for the rest of the transaction (none yet: nothing to lock). */
  findForUpdate() {
    return this.db
      .selectFrom('certifierSettings')
      .selectAll()
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirst();
  }

  async save(changes: CertifierSettingsChanges) {
    return this.db
      .insertInto('certifierSettings')
      .values({ id: 1, ...changes })
      .onConflict((oc) => oc.column('id').doUpdateSet(changes))
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
