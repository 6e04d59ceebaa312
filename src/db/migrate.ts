import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import { migrations } from './migrations/index.js';

export interface MigrationOutcome {
  applied: string[];
  current: string | null;
}

async function migratorFor(db: Kysely<any>): Promise<Migrator> {
  // The migration tables live in the schema the connection works in (search_path), named explicitly:
  // Kysely would otherwise find a same-named table in another schema and skip creating its own.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
}

/** Applies every pending migration; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationOutcome> {
  const result: MigrationResultSet = await (await migratorFor(db)).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `Migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`,
      {
        cause: result.error,
      },
    );
  }
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return { applied, current: await currentMigration(db) };
}

/** The name of the last applied migration, or null on an empty database. One cheap query (health checks). */
export async function currentMigration(db: Kysely<any>): Promise<string | null> {
  try {
    const { rows } = await sql<{
      name: string;
    }>`select name from schema_migrations order by name desc limit 1`.execute(db);
    return rows[0]?.name ?? null;
  } catch {
    return null; // no migration table yet
  }
}

export const latestMigration = (): string => Object.keys(migrations).at(-1)!;
