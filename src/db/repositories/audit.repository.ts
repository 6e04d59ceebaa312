import { sql } from 'kysely';
import type { Database } from '../database.js';
import type { AuditLogRow } from '../schema.js';
import { organisationEntities } from './network.repository.js';

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

  /** Reads the chain in order, in batches, so a long log verifies in flat memory. */
  async *iterateInOrder(batchSize = 2000): AsyncGenerator<AuditLogRow> {
    let after = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('auditLog')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      for (const row of rows) yield row;
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
      query.selectAll().orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: total.n };
  }
}
