import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../database.js';
import type { AuditLogRow, DB } from '../schema.js';
import { organisationEntities } from './network.repository.js';

/**
 * Selects whole audit entries with `before` and `after` read as text and parsed here. The CamelCasePlugin
 * renames the keys of every object in a result, nested JSON included: an entry whose payload held
 * `training_sessions` would come back as `trainingSessions` and no longer match its hash. Every reader of
 * the chain (verification, list, dossier extract) goes through this.
 */
export function selectAuditEntries<O>(query: SelectQueryBuilder<DB, 'auditLog', O>) {
  return query.select([
    'seq',
    'at',
    'actorId',
    'actorLabel',
    'action',
    'entityType',
    'entityId',
    'prevHash',
    'hash',
    sql<string | null>`audit_log.before::text`.as('beforeText'),
    sql<string | null>`audit_log.after::text`.as('afterText'),
  ]);
}

/** Turns a row of selectAuditEntries back into an entry, payloads parsed as they were stored. */
export function toAuditRow(row: {
  seq: number;
  at: AuditLogRow['at'];
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  prevHash: string;
  hash: string;
  beforeText: string | null;
  afterText: string | null;
}): AuditLogRow {
  const { beforeText, afterText, ...rest } = row;
  return {
    ...rest,
    before: beforeText === null ? null : JSON.parse(beforeText),
    after: afterText === null ? null : JSON.parse(afterText),
  };
}

/** Arbitrary constant: the advisory lock that serialises writers of the audit chain across servers. */
const AUDIT_CHAIN_LOCK = 7_263_001;

export interface NewAuditEntry {
  seq: number;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export class AuditRepository {
  constructor(private readonly db: Database) {}

  /**
   * Locks the chain until the end of the current transaction and returns its head. Must run inside the
   * transaction that will append, so two writers never chain onto the same previous entry.
   */
  async lockHead(): Promise<{ seq: number; hash: string } | undefined> {
    await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(this.db);
    return this.db
      .selectFrom('auditLog')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async insert(entry: NewAuditEntry): Promise<void> {
    await this.db
      .insertInto('auditLog')
      .values({
        ...entry,
        before: entry.before === null ? null : JSON.stringify(entry.before),
        after: entry.after === null ? null : JSON.stringify(entry.after),
      })
      .execute();
  }

  /** Appends entries already chained in order (see recordAuditBatch), a thousand rows a statement. */
  async insertMany(entries: readonly NewAuditEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += 1000) {
      await this.db
        .insertInto('auditLog')
        .values(
          entries.slice(i, i + 1000).map((entry) => ({
            ...entry,
            before: entry.before === null ? null : JSON.stringify(entry.before),
            after: entry.after === null ? null : JSON.stringify(entry.after),
          })),
        )
        .execute();
    }
  }

  /** Reads the chain in order, in batches, so a long log verifies in flat memory. */
  async *iterateInOrder(batchSize = 2000): AsyncGenerator<AuditLogRow> {
    let after = 0;
    for (;;) {
      const rows = await selectAuditEntries(this.db.selectFrom('auditLog'))
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      for (const row of rows) yield toAuditRow(row);
      if (rows.length < batchSize) return;
      after = rows.at(-1)!.seq;
    }
  }

  async list(filter: {
    entityType?: string | undefined;
    entityId?: string | undefined;
    organisationId?: string | undefined;
    limit: number;
    offset: number;
  }) {
    let query = this.db.selectFrom('auditLog');
    if (filter.entityType) query = query.where('entityType', '=', filter.entityType);
    if (filter.entityId) query = query.where('entityId', '=', filter.entityId);
    if (filter.organisationId)
      query = query.where(
        sql<boolean>`(entity_type, entity_id) in (select e.entity_type, e.entity_id from (${organisationEntities(filter.organisationId)}) e)`,
      );
    const [items, total] = await Promise.all([
      selectAuditEntries(query)
        .orderBy('seq', 'desc')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute()
        .then((rows) => rows.map(toAuditRow)),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: total.n };
  }
}
