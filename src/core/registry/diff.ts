import type { DeclaredPartner, FicheRecord } from './fiche.schema.js';

/**
 * What changed in a fiche between two exports, as the history a certifier browses: the fields that changed
 * (long texts shortened), whether the fiche became inactive (or active again), and the partners added,
 * removed or changed (state, habilitation type, dates, name). Pure: the caller gives the previous snapshot
 * and partners as stored and the new record as read.
 */

/** A fiche as stored: the record without its partners and line numbers. */
export type FicheSnapshot = Omit<FicheRecord, 'partners' | 'line'>;

/** A declared partner as stored (no line needed to compare). */
export type PartnerState = Omit<DeclaredPartner, 'line'>;

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface PartnerChange {
  kind: 'partner_added' | 'partner_removed' | 'partner_changed';
  siret: string | null;
  name: string;
  habilitationType: DeclaredPartner['habilitationType'];
  /** For partner_changed: each field that changed, before and after. */
  changes?: Record<string, { before: unknown; after: unknown }>;
  /** For partner_added / partner_removed: its state then. */
  state?: string | null;
}

export interface FicheDiff {
  fields: FieldChange[];
  becameInactive: boolean;
  becameActive: boolean;
  partners: PartnerChange[];
}

const MAX_TEXT = 300;
const MAX_JSON = 1_000;

/** A value as the history shows it: long texts cut at 300 characters, big structures summarised. */
export function briefValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  if (typeof value !== 'object') return value;
  const json = JSON.stringify(value);
  if (json.length <= MAX_JSON) return value;
  return Array.isArray(value) ? { items: value.length } : { size: json.length };
}

/**
 * Deep equality of JSON values, whatever the order of object keys (a snapshot read back from a jsonb
 * column has its keys reordered).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // An absent key and a null value are the same for a snapshot.
    return (a ?? null) === (b ?? null);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameJson(item, other[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key of Object.keys(x)) if (!sameJson(x[key], y[key])) return false;
  for (const key of Object.keys(y)) if (!(key in x) && !sameJson(null, y[key])) return false;
  return true;
}

const same = sameJson;

/** Added, removed and changed items of two keyed lists (skill blocks by code, certifiers by SIRET/name). */
function keyedListChange<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (item: T) => string,
): { added: string[]; removed: string[]; changed: string[] } | null {
  const old = new Map(before.map((item) => [keyOf(item), item]));
  const now = new Map(after.map((item) => [keyOf(item), item]));
  const added = [...now.keys()].filter((k) => !old.has(k));
  const removed = [...old.keys()].filter((k) => !now.has(k));
  const changed = [...now.keys()].filter((k) => old.has(k) && !same(old.get(k), now.get(k)));
  // Same items in another order is no change for the certifier.
  if (!added.length && !removed.length && !changed.length) return null;
  return { added, removed, changed };
}

const ignoredFields = new Set(['code', 'partners', 'line', 'isActive', 'texts', 'skillBlocks', 'certifiers']);

/** The field changes between a stored snapshot and a new record (partners and activity apart). */
export function diffFields(before: FicheSnapshot, after: FicheRecord): FieldChange[] {
  const changes: FieldChange[] = [];
  // In the new record's order, so the history reads the same whatever the stored key order.
  const keys = new Set([...Object.keys(after), ...Object.keys(before)]);
  for (const key of keys) {
    if (ignoredFields.has(key)) continue;
    const a = (before as Record<string, unknown>)[key] ?? null;
    const b = (after as Record<string, unknown>)[key] ?? null;
    if (!same(a, b)) changes.push({ field: key, before: briefValue(a), after: briefValue(b) });
  }
  const textKeys = new Set([...Object.keys(after.texts), ...Object.keys(before.texts ?? {})]);
  for (const key of textKeys) {
    const a = (before.texts as Record<string, unknown> | undefined)?.[key] ?? null;
    const b = (after.texts as Record<string, unknown>)[key] ?? null;
    if (a !== b) changes.push({ field: `texts.${key}`, before: briefValue(a), after: briefValue(b) });
  }
  const blocks = keyedListChange(before.skillBlocks ?? [], after.skillBlocks, (b) => b.code);
  if (blocks) changes.push({ field: 'skillBlocks', before: null, after: blocks });
  const certifiers = keyedListChange(before.certifiers ?? [], after.certifiers, (c) => c.siret ?? c.name);
  if (certifiers) changes.push({ field: 'certifiers', before: null, after: certifiers });
  return changes;
}

const partnerKey = (p: PartnerState) => p.siret ?? `name:${p.name}`;
const comparedPartnerFields = ['name', 'habilitationType', 'state', 'activeSince', 'stateChangedOn'] as const;

/** Partners added, removed and changed, matched by SIRET (by name when there is none) and type. */
export function diffPartners(
  before: readonly PartnerState[],
  after: readonly PartnerState[],
): PartnerChange[] {
  const changes: PartnerChange[] = [];
  const exact = (p: PartnerState) => `${partnerKey(p)}|${p.habilitationType}`;
  const oldByExact = new Map(before.map((p) => [exact(p), p]));
  const leftAfter: PartnerState[] = [];
  const compare = (old: PartnerState, now: PartnerState) => {
    const fieldChanges: Record<string, { before: unknown; after: unknown }> = {};
    for (const field of comparedPartnerFields)
      if (old[field] !== now[field]) fieldChanges[field] = { before: old[field], after: now[field] };
    if (Object.keys(fieldChanges).length)
      changes.push({
        kind: 'partner_changed',
        siret: now.siret,
        name: now.name,
        habilitationType: now.habilitationType,
        changes: fieldChanges,
      });
  };
  for (const now of after) {
    const old = oldByExact.get(exact(now));
    if (old) {
      oldByExact.delete(exact(now));
      compare(old, now);
    } else leftAfter.push(now);
  }
  // What is left on both sides with the same SIRET changed its habilitation type.
  const leftBefore = new Map<string, PartnerState[]>();
  for (const old of oldByExact.values()) {
    const list = leftBefore.get(partnerKey(old));
    if (list) list.push(old);
    else leftBefore.set(partnerKey(old), [old]);
  }
  for (const now of leftAfter) {
    const old = leftBefore.get(partnerKey(now))?.shift();
    if (old) compare(old, now);
    else
      changes.push({
        kind: 'partner_added',
        siret: now.siret,
        name: now.name,
        habilitationType: now.habilitationType,
        state: now.state,
      });
  }
  for (const list of leftBefore.values())
    for (const old of list)
      changes.push({
        kind: 'partner_removed',
        siret: old.siret,
        name: old.name,
        habilitationType: old.habilitationType,
        state: old.state,
      });
  return changes;
}

/**
 * Everything that changed from the stored fiche (snapshot and partners) to the new record. An empty diff
 * (no field, no activity, no partner change) means the fiche only moved or reordered its lists.
 *
 * @example
 * const diff = diffFiche(stored, storedPartners, record);
 * if (diff.becameInactive) …
 */
export function diffFiche(
  before: FicheSnapshot,
  beforePartners: readonly PartnerState[],
  after: FicheRecord,
): FicheDiff {
  return {
    fields: diffFields(before, after),
    becameInactive: before.isActive && !after.isActive,
    becameActive: !before.isActive && after.isActive,
    partners: diffPartners(beforePartners, after.partners),
  };
}

export const isEmptyDiff = (diff: FicheDiff): boolean =>
  !diff.fields.length && !diff.becameActive && !diff.becameInactive && !diff.partners.length;
