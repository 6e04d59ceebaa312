import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// A fiche's snapshot becomes bytes: the importer stores it zlib-compressed (deflate level 1, about a
// quarter of the JSON text), which divides what a full export writes to the heap, the WAL and the disk.
// Rows stored before stay as they were (their UTF-8 JSON text, which starts with "{"); readers tell the
// two apart by the first byte ("{" = 0x7b, a zlib stream starts with 0x78).

const statements = [
  `alter table fc_fiches drop constraint if exists fc_fiches_snapshot_check`,
  `alter table fc_fiches alter column snapshot type bytea using convert_to(snapshot, 'UTF8')`,
  // Already compressed: PostgreSQL must not try again (pglz would only spend time).
  `alter table fc_fiches alter column snapshot set storage external`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Compressed snapshots cannot be turned back into text in SQL: a downgrade keeps the plain ones only.
  await sql.raw(`delete from fc_fiches where get_byte(snapshot, 0) <> 123`).execute(db);
  await sql
    .raw(`alter table fc_fiches alter column snapshot type text using convert_from(snapshot, 'UTF8')`)
    .execute(db);
  await sql
    .raw(`alter table fc_fiches add constraint fc_fiches_snapshot_check check (snapshot like '{%')`)
    .execute(db);
  await sql.raw(`alter table fc_fiches alter column snapshot set storage external`).execute(db);
}
