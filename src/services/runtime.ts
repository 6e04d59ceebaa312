import type { Config } from '../config/env.js';
import { openDatabase } from '../db/database.js';
import { type MigrationOutcome, migrateToLatest } from '../db/migrate.js';
import { createServices, type Services } from './index.js';

export interface OpenedServices {
  services: Services;
  /** What opening applied: the migrations that were pending, and the version the database is now at. */
  migration: MigrationOutcome;
  /** Where the data is, for messages: the PGlite directory, or the server's host and database. */
  location: string;
  close(): Promise<void>;
}

/** Where the configuration puts the data, for messages: never the password of a DATABASE_URL. */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'pgliteDir'>): string {
  if (!config.databaseUrl) return `PGlite ${config.pgliteDir}`;
  try {
    const u = new URL(config.databaseUrl);
    return `PostgreSQL ${u.host}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/**
 * Opens the database the configuration names (the PGlite directory the server uses, or the PostgreSQL
 * server at DATABASE_URL), applies pending migrations and wires the services. For the server, the CLI and
 * other one-shot tools, which may not reach src/db themselves. The database is closed again if migrating
 * fails. `listenForChanges`: the long-running server, which caches reads, hears other processes' changes.
 */
export async function openServices(
  config: Config,
  options: { listenForChanges?: boolean } = {},
): Promise<OpenedServices> {
  const handle = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.pgliteDir,
    listenForChanges: options.listenForChanges ?? false,
  });
  try {
    const migration = await migrateToLatest(handle.db);
    return {
      services: createServices(handle, config),
      migration,
      location: describeDatabase(config),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
