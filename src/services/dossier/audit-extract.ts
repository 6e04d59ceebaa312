import { createHash } from 'node:crypto';
import {
  type AuditEntryContent,
  auditHashInput,
  GENESIS_HASH,
  normalise,
} from '../../core/audit/canonical.js';
import type { DossierProblem } from '../../core/dossier/dossier.schema.js';
import type { AuditLogRow } from '../../db/schema.js';

/**
 * The audit-log extract of an evidence dossier, one JSON object per line, in sequence order and without a
 * gap from the first entry about the dossier's records to the chain head of the day:
 *
 * - an entry about the dossier's records carries its whole content (`seq`, `at`, actor, action, entity,
 *   `before`, `after`) with `prevHash` and `hash`, so its hash can be recomputed;
 * - any other entry carries `seq`, `prevHash` and `hash` only (nothing about other records leaks), which is
 *   enough to check that the chain runs on without a break.
 */
export type AuditExtractLine =
  | ({ prevHash: string; hash: string } & AuditEntryContent)
  | { seq: number; prevHash: string; hash: string };

export function auditExtractLine(row: AuditLogRow, full: boolean): string {
  if (!full) return JSON.stringify({ seq: row.seq, prevHash: row.prevHash, hash: row.hash });
  const content: AuditEntryContent = {
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
  return JSON.stringify({ ...content, prevHash: row.prevHash, hash: row.hash });
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks an extract line by line (flat memory): sequence numbers follow each other, each entry names the
 * hash of the one before it, and every full entry hashes to what it says. Collects what `evidence.upload`
 * entries say about each file's SHA-256, so the manifest can be checked against the chain too.
 */
export class AuditExtractChecker {
  readonly problems: DossierProblem[] = [];
  entries = 0;
  fullEntries = 0;
  firstSeq: number | null = null;
  lastSeq: number | null = null;
  lastHash: string | null = null;
  /** evidence id → SHA-256, as recorded by the chained `evidence.upload` entries. */
  readonly uploadedSha256 = new Map<string, string>();

  constructor(private readonly path: string) {}

  private fail(line: number, message: string) {
    if (this.problems.length < 100) this.problems.push({ path: `${this.path}:${line}`, message });
  }

  push(text: string): void {
    if (!text.trim()) return;
    const lineNo = this.entries + 1;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.fail(lineNo, 'not a JSON line');
      this.entries++;
      return;
    }
    const { seq, prevHash, hash } = entry;
    if (
      typeof seq !== 'number' ||
      typeof prevHash !== 'string' ||
      typeof hash !== 'string' ||
      !HEX64.test(hash)
    ) {
      this.fail(lineNo, 'an entry without seq, prevHash and hash');
      this.entries++;
      return;
    }
    if (this.lastSeq === null) {
      this.firstSeq = seq;
      if (seq === 1 && prevHash !== GENESIS_HASH)
        this.fail(lineNo, `entry ${seq}: the first entry must follow the genesis hash`);
    } else {
      if (seq !== this.lastSeq + 1)
        this.fail(lineNo, `entry ${seq} follows entry ${this.lastSeq}: an entry is missing`);
      if (prevHash !== this.lastHash)
        this.fail(lineNo, `entry ${seq}: its previous hash is not the hash of entry ${this.lastSeq}`);
    }
    if ('action' in entry) {
      this.fullEntries++;
      const content: AuditEntryContent = {
        seq,
        at: String(entry.at),
        actorId: (entry.actorId as string | null) ?? null,
        actorLabel: String(entry.actorLabel),
        action: String(entry.action),
        entityType: String(entry.entityType),
        entityId: (entry.entityId as string | null) ?? null,
        before: normalise(entry.before ?? null),
        after: normalise(entry.after ?? null),
      };
      if (sha256(auditHashInput(prevHash, content)) !== hash)
        this.fail(lineNo, `entry ${seq} (${content.action}): its content does not match its hash (altered)`);
      else if (content.action === 'evidence.upload' && content.entityId) {
        const after = content.after as { sha256?: unknown } | null;
        if (after && typeof after.sha256 === 'string')
          this.uploadedSha256.set(content.entityId, after.sha256);
      }
    }
    this.lastSeq = seq;
    this.lastHash = hash;
    this.entries++;
  }
}
