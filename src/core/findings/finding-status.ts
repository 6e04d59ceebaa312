/**
 * The life of a finding, as one table. A finding is opened (by a rule or an auditor), qualified by the
 * certifier, a corrective action is requested, the partner submits one, the certifier verifies it and closes
 * the finding. Any live finding can be escalated (towards a sanction); a verified or closed one can be
 * re-opened when the problem comes back.
 */

export const findingStatuses = [
  'open',
  'qualified',
  'action_requested',
  'action_submitted',
  'verified',
  'closed',
  'escalated',
] as const;
export type FindingStatus = (typeof findingStatuses)[number];

export const findingTransitions: Readonly<Record<FindingStatus, readonly FindingStatus[]>> = {
  // Closing straight from open or qualified dismisses a finding that turned out not to be one.
  open: ['qualified', 'escalated', 'closed'],
  qualified: ['action_requested', 'escalated', 'closed'],
  action_requested: ['action_submitted', 'escalated'],
  // Back to action_requested: the action submitted was not enough.
  action_submitted: ['verified', 'action_requested', 'escalated'],
  verified: ['closed', 'open'],
  closed: ['open'],
  escalated: ['action_requested', 'closed'],
};

/** Who moves the finding: certifier staff reviewing it, or the partner answering with a corrective action. */
export type FindingMove = 'review' | 'answer';

/**
 * Why a finding may not go from `from` to `to` in that way, or null when it may. `action_submitted` is
 * reached only by the partner's answer, and the answer reaches nothing else.
 *
 * @example findingTransitionError('open', 'verified', 'review') // 'a finding cannot go from open to verified …'
 */
export function findingTransitionError(
  from: FindingStatus,
  to: FindingStatus,
  move: FindingMove,
): string | null {
  if (from === to) return `the finding is already ${to}`;
  if (!findingTransitions[from].includes(to)) {
    const allowed = findingTransitions[from];
    return `a finding cannot go from ${from} to ${to} (from ${from}: ${allowed.join(', ')})`;
  }
  if (move === 'review' && to === 'action_submitted')
    return 'a finding becomes action_submitted when the partner submits a corrective action';
  if (move === 'answer' && to !== 'action_submitted')
    return 'a partner’s answer can only submit a corrective action';
  return null;
}

/** Whether the move re-opens a finding (its closing date is then cleared). */
export const isReopening = (from: FindingStatus, to: FindingStatus): boolean =>
  to === 'open' && (from === 'closed' || from === 'verified');

export const correctiveActionStatuses = ['proposed', 'accepted', 'done', 'verified', 'rejected'] as const;
export type CorrectiveActionStatus = (typeof correctiveActionStatuses)[number];

/** A corrective action is accepted (or rejected) as proposed, then done, then verified by the certifier. */
export const correctiveActionTransitions: Readonly<
  Record<CorrectiveActionStatus, readonly CorrectiveActionStatus[]>
> = {
  proposed: ['accepted', 'rejected'],
  accepted: ['done', 'rejected'],
  done: ['verified', 'rejected'],
  verified: [],
  rejected: [],
};

/** Why a corrective action may not go from `from` to `to`, or null when it may. */
export function correctiveActionTransitionError(
  from: CorrectiveActionStatus,
  to: CorrectiveActionStatus,
): string | null {
  if (from === to) return `the corrective action is already ${to}`;
  if (correctiveActionTransitions[from].includes(to)) return null;
  return `a corrective action cannot go from ${from} to ${to}`;
}
