import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;
export type Engine = 'pglite' | 'postgresql';

export interface DatabaseHandle {
  db: Database;
  engine: Engine;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL: a PostgreSQL server. Unset: embedded PGlite. */
  url?: string | undefined;
  /** PGlite's data directory; `memory://` or unset for an in-memory database (tests). */
  dataDir?: string | undefined;
  /** Pool size for a server. */
  poolSize?: number;
}

// Both engines answer with the same JS types: bigint counts and numeric amounts as numbers (they fit:
// cents and hours), `date` as the ISO string the domain uses (never a Date at local midnight), timestamps
// as Date.
const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;
const toNumber = (v: string) => Number(v);
const asString = (v: string) => v;

/** Opens the database: PGlite in `dataDir` (or memory), or the PostgreSQL server at `url`. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const plugins = [new CamelCasePlugin()];
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === OID.INT8 || oid === OID.NUMERIC) return toNumber;
          if (oid === OID.DATE) return asString;
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins });
    return { db, engine: 'postgresql', close: () => db.destroy() };
  }
  const dataDir =
    options.dataDir && options.dataDir !== 'memory://' ? path.resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    parsers: {
      [pgliteTypes.INT8]: toNumber,
      [pgliteTypes.NUMERIC]: toNumber,
      [pgliteTypes.DATE]: asString,
    },
  });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), plugins });
  return { db, engine: 'pglite', close: () => db.destroy() };
}
