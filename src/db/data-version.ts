import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * A number that changes whenever the stored data may have changed: what the read caches (sessions, list
 * responses) compare to know whether what they hold is still true. It is bumped
 * - in this process, after every statement that writes and after every commit (the `DataVersionPlugin`
 *   and the drivers' commit hooks), so a request never reads its own server's stale cache;
 * - for changes made by other processes (several servers on one PostgreSQL, the CLI), by the
 *   `habilis_data_change` notification, sent on commit by triggers on the audit log (every change writes
 *   it) and on sessions (sign-out, revocation). While that listener is not connected the version moves on
 *   every read, which turns the caches off rather than let them serve stale data.
 */
export class DataVersion {
  private value = 0;
  private trusted = true;

  current(): number {
    if (!this.trusted) this.value++;
    return this.value;
  }

  bump(): void {
    this.value++;
  }

  /** Whether changes made elsewhere are being heard; when not, nothing may be cached. */
  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.value++;
  }
}

/** Where the triggers of migration 2026-11-23T1350 announce committed changes. */
export const DATA_CHANGE_CHANNEL = 'habilis_data_change';

const WRITE_NODES = new Set([
  'InsertQueryNode',
  'UpdateQueryNode',
  'DeleteQueryNode',
  'MergeQueryNode',
  'CreateTableNode',
  'AlterTableNode',
  'DropTableNode',
]);
const WRITE_SQL = /^\s*(insert|update|delete|merge|truncate|copy|alter|drop|create|with)\b/i;

/** Bumps the version once a writing statement has run (typed queries by node kind, raw SQL by its verb). */
export class DataVersionPlugin implements KyselyPlugin {
  private readonly writes = new WeakSet<object>();

  constructor(private readonly version: DataVersion) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (WRITE_NODES.has(node.kind) || (node.kind === 'RawNode' && isWriteRaw(node.sqlFragments))) {
      this.writes.add(args.queryId);
    }
    return node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.writes.has(args.queryId)) this.version.bump();
    return args.result;
  }
}

function isWriteRaw(fragments: readonly string[]): boolean {
  // `with` may only read; counting it as a write costs a cache miss, never a stale answer.
  return WRITE_SQL.test(fragments[0] ?? '');
}
