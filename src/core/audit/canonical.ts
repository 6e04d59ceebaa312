/**
 * Canonical JSON for hashing: object keys sorted at every depth, Dates as ISO strings, undefined dropped.
 * PostgreSQL's jsonb reorders keys, so the audit chain must hash a form that survives a round trip.
 *
 * @example canonicalJson({ b: 1, a: [new Date(0)] }) === '{"a":["1970-01-01T00:00:00.000Z"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

/** The value as it will read back from jsonb: plain objects with sorted keys, no Dates, no undefined. */
export function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)));
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

/** The fields of an audit entry that its hash covers, in the one order the chain uses. */
export interface AuditEntryContent {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** The text hashed for one entry: the previous hash, a newline, then the entry's canonical JSON. */
export function auditHashInput(prevHash: string, entry: AuditEntryContent): string {
  return `${prevHash}\n${canonicalJson(entry)}`;
}

/** The hash that stands before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
