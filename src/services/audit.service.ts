import { createHash } from 'node:crypto';
import type { Actor } from '../core/access/policy.js';
import { actorId, requireAccess } from '../core/access/policy.js';
import { type AuditEntryContent, auditHashInput, GENESIS_HASH, normalise } from '../core/audit/canonical.js';
import type { AuditEntryView, AuditVerification } from '../core/contracts/audit.js';
import type { Database } from '../db/database.js';
import { AuditRepository } from '../db/repositories/audit.repository.js';
import type { AuditLogRow } from '../db/schema.js';

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function contentOf(row: AuditLogRow): AuditEntryContent {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: normalise(row.before),
    after: normalise(row.after),
  };
}

/**
 * Appends an entry to the hash-chained audit log. Call it with the transaction that makes the change, so
 * the change and its entry commit together or not at all.
 */
export async function recordAudit(
  trx: Database,
  actor: Actor,
  change: AuditChange,
  clock: () => Date,
): Promise<void> {
  const repo = new AuditRepository(trx);
  const head = await repo.lockHead();
  const at = clock();
  // Postgres keeps microseconds and JS milliseconds: the entry is hashed at the precision both keep.
  const content: AuditEntryContent = {
    seq: (head?.seq ?? 0) + 1,
    at: at.toISOString(),
    actorId: actorId(actor),
    actorLabel: actor.label,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    before: normalise(change.before ?? null),
    after: normalise(change.after ?? null),
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  const hash = sha256(auditHashInput(prevHash, content));
  await repo.insert({ ...content, at, prevHash, hash });
}

/**
 * Appends several entries in order with one lock of the chain and multi-row inserts: each entry chains on
 * the one before it exactly as successive `recordAudit` calls would (same transaction, same clock reading).
 * For writers that log many changes at once (a control run's findings).
 */
export async function recordAuditBatch(
  trx: Database,
  actor: Actor,
  changes: readonly AuditChange[],
  clock: () => Date,
): Promise<void> {
  if (!changes.length) return;
  const repo = new AuditRepository(trx);
  const head = await repo.lockHead();
  const at = clock();
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const entries = changes.map((change) => {
    const content: AuditEntryContent = {
      seq: ++seq,
      at: at.toISOString(),
      actorId: actorId(actor),
      actorLabel: actor.label,
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      before: normalise(change.before ?? null),
      after: normalise(change.after ?? null),
    };
    const hash = sha256(auditHashInput(prevHash, content));
    const entry = { ...content, at, prevHash, hash };
    prevHash = hash;
    return entry;
  });
  await repo.insertMany(entries);
}

export class AuditService {
  constructor(private readonly db: Database) {}

  async list(
    actor: Actor,
    query: {
      entityType?: string | undefined;
      entityId?: string | undefined;
      organisationId?: string | undefined;
      limit: number;
      offset: number;
    },
  ): Promise<{ items: AuditEntryView[]; total: number }> {
    requireAccess(actor, 'audit.read');
    const { items, total } = await new AuditRepository(this.db).list(query);
    return {
      items: items.map((r) => ({
        seq: r.seq,
        at: r.at.toISOString(),
        actorId: r.actorId,
        actorLabel: r.actorLabel,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        before: r.before,
        after: r.after,
        hash: r.hash,
      })),
      total,
    };
  }

  /**
   * Walks the chain from the first entry: each entry must follow the previous one's sequence number,
   * name the previous hash, and hash to what it says. Names the first entry where that fails.
   */
  async verify(actor: Actor): Promise<AuditVerification> {
    requireAccess(actor, 'audit.verify');
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    for await (const row of new AuditRepository(this.db).iterateInOrder()) {
      const broken = (reason: string): AuditVerification => ({
        ok: false,
        entries,
        lastHash: entries ? prevHash : null,
        firstBroken: { seq: row.seq, reason },
      });
      if (row.seq !== expectedSeq)
        return broken(`expected entry ${expectedSeq}, found ${row.seq} (an entry is missing)`);
      if (row.prevHash !== prevHash) return broken('its previous-hash does not match the entry before it');
      const recomputed = sha256(auditHashInput(prevHash, contentOf(row)));
      if (recomputed !== row.hash)
        return broken('its content does not match its hash (altered after writing)');
      prevHash = row.hash;
      expectedSeq++;
      entries++;
    }
    return { ok: true, entries, lastHash: entries ? prevHash : null, firstBroken: null };
  }
}
