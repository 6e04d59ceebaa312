import { AppError } from '../errors.js';

export const habilitationStatuses = [
  'application',
  'review',
  'active',
  'under_watch',
  'suspended',
  'withdrawn',
  'expired',
  'ended',
] as const;
export type HabilitationStatus = (typeof habilitationStatuses)[number];

/**
 * The lifecycle of a habilitation, as the one table of allowed moves. An application is reviewed, then
 * granted (active) or closed (ended); a review may send it back for completion. A granted habilitation may
 * be put under watch, suspended, and brought back to active when the watch or suspension is lifted; it ends
 * by withdrawal (the last sanction), expiry of its period, or an ordinary end (partner's request, end of
 * the convention). Withdrawn, expired and ended are final: a new habilitation is a new application.
 */
export const habilitationTransitions: Readonly<Record<HabilitationStatus, readonly HabilitationStatus[]>> = {
  application: ['review', 'ended'],
  review: ['active', 'application', 'ended'],
  active: ['under_watch', 'suspended', 'withdrawn', 'expired', 'ended'],
  under_watch: ['active', 'suspended', 'withdrawn', 'expired', 'ended'],
  suspended: ['active', 'under_watch', 'withdrawn', 'expired', 'ended'],
  withdrawn: [],
  expired: [],
  ended: [],
};

/** Statuses in which a habilitation still counts (for overlaps): anything not final. */
export const liveHabilitationStatuses: readonly HabilitationStatus[] = habilitationStatuses.filter(
  (s) => habilitationTransitions[s].length > 0,
);

/** Statuses in which the partner may actually train or evaluate under the habilitation. */
export const effectiveHabilitationStatuses: readonly HabilitationStatus[] = ['active', 'under_watch'];

/** Whether the lifecycle allows moving from `from` to `to` (never to the same status). */
export function canTransition(from: HabilitationStatus, to: HabilitationStatus): boolean {
  return habilitationTransitions[from].includes(to);
}

/** Whether no decision can move a habilitation out of this status. */
export function isFinalStatus(status: HabilitationStatus): boolean {
  return habilitationTransitions[status].length === 0;
}

/**
 * Throws a `conflict` AppError naming both statuses (in the message, in `details.from`/`details.to`, and on
 * the `toStatus` field) when the lifecycle does not allow the move.
 *
 * @example assertTransition('withdrawn', 'active') // throws: habilitation cannot go from withdrawn to active
 */
export function assertTransition(from: HabilitationStatus, to: HabilitationStatus): void {
  if (canTransition(from, to)) return;
  const allowed = habilitationTransitions[from];
  const message = `A habilitation cannot go from ${from} to ${to}${
    allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : ` (${from} is final)`
  }`;
  throw new AppError('conflict', message, {
    details: { from, to, allowed: [...allowed] },
    fields: [{ field: 'toStatus', message: `not allowed from ${from}` }],
  });
}
