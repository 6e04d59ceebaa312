import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// Indexes for the network list and the partner timeline (src/db/repositories/network.repository.ts): the
// habilitation filters (status, certification) probed per organisation and the per-row habilitation counts
// read from the index alone; the region filter on the postal code's département; the list's other sorts.

const statements = [
  `create index habilitations_org_status_idx on habilitations (organisation_id, status, certification_id)`,
  `create index organisations_postal_prefix_idx on organisations (substr(postal_code, 1, 2))`,
  `create index organisations_city_idx on organisations (lower(city), id)`,
  `create index organisations_created_idx on organisations (created_at, id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'organisations_created_idx',
    'organisations_city_idx',
    'organisations_postal_prefix_idx',
    'habilitations_org_status_idx',
  ])
    await sql.raw(`drop index ${name}`).execute(db);
}
