import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// The sites where a habilitation applies (décret 2025-500: the habilitation names its territory and sites):
// sites of the habilitated organisation. Removing a site of the organisation removes it from its
// habilitations.

const statements = [
  `create table habilitation_sites (
    habilitation_id uuid not null references habilitations (id) on delete cascade,
    site_id uuid not null references organisation_sites (id) on delete cascade,
    primary key (habilitation_id, site_id)
  )`,
  `create index habilitation_sites_site_idx on habilitation_sites (site_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table habilitation_sites').execute(db);
}
