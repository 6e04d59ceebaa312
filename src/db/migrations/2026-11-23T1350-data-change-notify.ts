import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// Announces committed changes to every process that keeps a read cache (src/db/data-version.ts): NOTIFY is
// delivered at commit, to the listeners of the channel `habilis_data_change`. Every change of the domain
// writes the audit log in its transaction, so one trigger there covers them all; sessions are not audited
// when they end (sign-out, revocation, clean-up), so their deletion announces itself.

const statements = [
  `create function habilis_notify_data_change() returns trigger language plpgsql as $$
  begin
    perform pg_notify('habilis_data_change', tg_table_name);
    return null;
  end $$`,
  `create trigger audit_log_data_change after insert on audit_log
    for each statement execute function habilis_notify_data_change()`,
  `create trigger sessions_data_change after delete on sessions
    for each statement execute function habilis_notify_data_change()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop trigger sessions_data_change on sessions').execute(db);
  await sql.raw('drop trigger audit_log_data_change on audit_log').execute(db);
  await sql.raw('drop function habilis_notify_data_change()').execute(db);
}
