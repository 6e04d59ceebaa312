import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// The certifier's settings for the chain: the identifiers the Caisse des Dépôts gave it for the accrochage
// (idClient, idContrat; a trusted third party's idClient when one deposits the files), and the rule that
// candidates are assessed only once their training has ended. One row (id = 1), written by the admin screen.

const statements = [
  `create table certifier_settings (
    id integer primary key default 1 check (id = 1),
    cdc_client_id text check (cdc_client_id is null or cdc_client_id ~ '^[0-9A-Z]{8}$'),
    cdc_contract_id text check (cdc_contract_id is null or cdc_contract_id ~ '^[0-9A-Za-z_-]{1,20}$'),
    cdc_depositor_client_id text
      check (cdc_depositor_client_id is null or cdc_depositor_client_id ~ '^[0-9A-Z]{8}$'),
    assessment_after_training boolean not null default false,
    updated_by uuid references users (id),
    updated_at timestamptz not null default now()
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table certifier_settings').execute(db);
}
