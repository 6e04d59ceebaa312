import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { CamelCasePlugin, type DatabaseConnection, type Driver, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DATA_CHANGE_CHANNEL, DataVersion, DataVersionPlugin } from './data-version.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;
export type Engine = 'pglite' | 'postgresql';

export interface DatabaseHandle {
  db: Database;
  engine: Engine;
  /** Moves whenever the data may have changed: what read caches check (see data-version.ts). */
  dataVersion: DataVersion;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL: a PostgreSQL server. Unset: embedded PGlite. */
  url?: string | undefined;
  /** PGlite's data directory; `memory://` or unset for an in-memory database (tests). */
  dataDir?: string | undefined;
  /** Pool size for a server. */
  poolSize?: number;
  /**
   * On a server, listen for the changes other processes commit, so that this process may cache reads (the
   * web server does; one-shot commands need not). Without it, `dataVersion` never lets a cache hit.
   */
  listenForChanges?: boolean;
}

// Both engines answer with the same JS types: bigint counts and numeric amounts as numbers (they fit:
// cents and hours), `date` as the ISO string the domain uses (never a Date at local midnight), timestamps
// as Date.
const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;
const toNumber = (v: string) => Number(v);
const asString = (v: string) => v;

/** Opens the database: PGlite in `dataDir` (or memory), or the PostgreSQL server at `url`. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const dataVersion = new DataVersion();
  const plugins = [new CamelCasePlugin(), new DataVersionPlugin(dataVersion)];
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
    pool.on('connect', acceptBlobCopy);
    const db = new Kysely<DB>({
      dialect: new CommitAwarePostgresDialect({ pool }, () => dataVersion.bump()),
      plugins,
    });
    // Without the listener, changes by other processes go unheard: nothing may be cached.
    if (!options.listenForChanges) dataVersion.setTrusted(false);
    const listener = options.listenForChanges ? await listenForChanges(options.url, dataVersion) : undefined;
    return {
      db,
      engine: 'postgresql',
      dataVersion,
      close: async () => {
        await listener?.stop();
        await db.destroy();
      },
    };
  }
  const dataDir =
    options.dataDir && options.dataDir !== 'memory://' ? path.resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    // The shared buffers sit in PGlite's memory (this process's RSS) from the start, touched whole; the
    // data files are in the OS page cache anyway, so 16 MB rather than PostgreSQL's default 128 MB: 18 MB
    // less at every start than 32 MB, which keeps a full registry import within its 400 MB budget
    // (bench/registry-import.bench.ts).
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
    parsers: {
      [pgliteTypes.INT8]: toNumber,
      [pgliteTypes.NUMERIC]: toNumber,
      [pgliteTypes.DATE]: asString,
    },
  });
  await pglite.waitReady;
  // PGlite lives in this process only: every change goes through this handle, and bumps the version itself.
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite, () => dataVersion.bump()), plugins });
  return { db, engine: 'pglite', dataVersion, close: () => db.destroy() };
}

/** `copy <table> (<columns>) from '/dev/blob'`: the form PGlite reads its COPY data in (see pglite-dialect.ts). */
const blobCopy = /^(\s*copy\s[^;]*\sfrom\s+)'\/dev\/blob'\s*$/i;

/** The pg client's protocol connection, as far as COPY FROM STDIN uses it. */
interface CopyProtocol {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * COPY FROM STDIN as a pg "submittable": pg hands it the protocol connection when its turn comes, and
 * the server's answers (copy-in, command complete, error, ready) as they arrive.
 */
class CopyFromStdin {
  readonly done: Promise<{ rows: never[]; rowCount: number; command: string }>;
  private settle!: { resolve: (rowCount: number) => void; reject: (error: unknown) => void };
  private rowCount = 0;
  private failed = false;

  constructor(
    private readonly text: string,
    private readonly data: Uint8Array,
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.settle = { resolve, reject };
    }).then((rowCount) => ({ rows: [], rowCount, command: 'COPY' }));
  }
  submit(connection: CopyProtocol): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: CopyProtocol): void {
    const chunk = 256 * 1024;
    for (let at = 0; at < this.data.byteLength; at += chunk)
      connection.sendCopyFromChunk(
        Buffer.from(this.data.buffer, this.data.byteOffset + at, Math.min(chunk, this.data.byteLength - at)),
      );
    connection.endCopyFrom();
  }
  handleCommandComplete(message: { text?: string }): void {
    this.rowCount = Number(/\d+$/.exec(message.text ?? '')?.[0] ?? 0);
  }
  handleError(error: unknown): void {
    this.failed = true;
    this.settle.reject(error);
  }
  handleReadyForQuery(): void {
    if (!this.failed) this.settle.resolve(this.rowCount);
  }
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/**
 * Lets a server connection take the COPY statements PGlite takes (`copy … from '/dev/blob'` with the data
 * as its one parameter, a Blob): they run as COPY FROM STDIN on this very client, so inside the
 * transaction it holds. The registry import writes new fiches this way on both engines.
 */
function acceptBlobCopy(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const match = typeof text === 'string' ? blobCopy.exec(text) : null;
    if (match && Array.isArray(values) && values.length === 1 && values[0] instanceof Blob) {
      const blob = values[0];
      return blob.arrayBuffer().then((buffer) => {
        const copy = new CopyFromStdin(`${match[1]}stdin`, new Uint8Array(buffer));
        query(copy);
        return copy.done;
      });
    }
    return query(...args);
  };
}

/** Kysely's PostgreSQL dialect, telling `onCommit` after each COMMIT. */
class CommitAwarePostgresDialect extends PostgresDialect {
  constructor(
    config: ConstructorParameters<typeof PostgresDialect>[0],
    private readonly onCommit: () => void,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const commit = driver.commitTransaction.bind(driver);
    const onCommit = this.onCommit;
    driver.commitTransaction = async (connection: DatabaseConnection) => {
      await commit(connection);
      onCommit();
    };
    return driver;
  }
}

/**
 * A dedicated connection that LISTENs to the change announcements (migration 2026-11-23T1350) and bumps
 * the version on each. While it is down the version is untrusted (no cache hits); it reconnects with a
 * growing delay, up to 30 s.
 */
async function listenForChanges(url: string, version: DataVersion): Promise<{ stop(): Promise<void> }> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = 500;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', () => version.bump());
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`listen ${DATA_CHANGE_CHANNEL}`);
      client = next;
      retryMs = 500;
      version.setTrusted(true);
    } catch {
      lost(next);
    }
  };
  const lost = (which: pg.Client) => {
    if (client && client !== which) return;
    client = undefined;
    version.setTrusted(false);
    which.end().catch(() => {});
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped) void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, 30_000);
  };

  version.setTrusted(false);
  await connect();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
