import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// Declarations to France Compétences (décret 2025-500: the list of habilitated partners is updated within
// two months of each change). The changes themselves are derived from habilitation decisions and from
// changes of scope in the audit log; this table records that one was declared: when, under which filing
// reference, by whom, and optionally the proof (an evidence file). One row per change, never two.

const statements = [
  `create table fc_declarations (
    change_id text primary key
      check (change_id ~ '^(decision:[0-9a-f-]{36}|scope:[1-9][0-9]*)$'),
    habilitation_id uuid not null references habilitations (id),
    declared_on date not null,
    reference text check (reference is null or length(reference) between 1 and 200),
    evidence_id uuid references evidence_files (id),
    declared_by uuid references users (id),
    recorded_at timestamptz not null default now()
  )`,
  `create index fc_declarations_habilitation_idx on fc_declarations (habilitation_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table fc_declarations').execute(db);
}
