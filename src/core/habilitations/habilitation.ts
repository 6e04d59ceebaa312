import type { FieldIssue } from '../errors.js';
import type { HabilitationStatus } from './lifecycle.js';
import { liveHabilitationStatuses } from './lifecycle.js';
import { periodError, periodsOverlap } from './period.js';

export const habilitationScopes = ['train', 'evaluate', 'both'] as const;
export type HabilitationScope = (typeof habilitationScopes)[number];

/** Whether two scopes authorise some common activity: `both` meets everything, otherwise equal scopes. */
export function scopesOverlap(a: HabilitationScope, b: HabilitationScope): boolean {
  return a === 'both' || b === 'both' || a === b;
}

/** The part of a habilitation that decides whether it collides with another of the same pair. */
export interface HabilitationSlot {
  id?: string;
  scope: HabilitationScope;
  startsOn: string;
  endsOn: string | null;
  status: HabilitationStatus;
}

/**
 * The first habilitation of `existing` that the candidate would duplicate: same organisation and
 * certification is the caller's filter; here, a live status (not withdrawn / expired / ended), overlapping
 * scopes and overlapping periods. The candidate itself (same id) is ignored, so an update can be checked.
 * Returns undefined when there is none.
 */
export function findOverlappingHabilitation<T extends HabilitationSlot>(
  candidate: HabilitationSlot,
  existing: readonly T[],
): T | undefined {
  return existing.find(
    (other) =>
      other.id !== candidate.id &&
      liveHabilitationStatuses.includes(other.status) &&
      scopesOverlap(candidate.scope, other.scope) &&
      periodsOverlap(candidate, other),
  );
}

/**
 * The field issues of a habilitation's shape once all its fields are known (on create, or after merging a
 * change): its period must not end before it starts, and its skill blocks are either "all" (and no list)
 * or a non-empty list without repeats.
 */
export function habilitationShapeIssues(h: {
  startsOn: string;
  endsOn: string | null;
  coversAllSkillBlocks: boolean;
  skillBlockIds: readonly string[];
}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const period = periodError(h);
  if (period) issues.push({ field: 'endsOn', message: period });
  if (h.coversAllSkillBlocks && h.skillBlockIds.length > 0)
    issues.push({ field: 'skillBlockIds', message: 'must be empty when coversAllSkillBlocks is true' });
  if (!h.coversAllSkillBlocks && h.skillBlockIds.length === 0)
    issues.push({
      field: 'skillBlockIds',
      message: 'name at least one skill block when coversAllSkillBlocks is false',
    });
  const seen = new Set<string>();
  h.skillBlockIds.forEach((id, i) => {
    if (seen.has(id)) issues.push({ field: `skillBlockIds/${i}`, message: 'appears twice' });
    seen.add(id);
  });
  return issues;
}
