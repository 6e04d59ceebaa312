import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// Indexes the automated controls need (src/db/repositories/control-rules.repository.ts):
// - certificates by candidate: `candidate.certified-twice` finds the duplicate identities in one grouped
//   pass, then their certificates through the candidates found (identity index), a handful of rows, rather
//   than a second pass over every certificate.

const statements = [`create index certificates_candidate_idx on certificates (candidate_id)`];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index certificates_candidate_idx').execute(db);
}
