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

/**
 * Who moves the finding, and how: the certifier's generic review (escalate, close, re-open), its dedicated
 * steps that carry data (qualify with a root cause, request an action with a due date, verify with an
 * effectiveness check), or the partner answering with a corrective action.
 */
export type FindingMove = 'review' | 'qualify' | 'request' | 'verify' | 'answer';

/** The status each dedicated step reaches; `review` reaches the others. */
const stepTarget: Readonly<Record<Exclude<FindingMove, 'review'>, FindingStatus>> = {
  qualify: 'qualified',
  request: 'action_requested',
  verify: 'verified',
  answer: 'action_submitted',
};

/** What the user does to reach a status that only a dedicated step reaches (in the error message). */
const stepHint: Partial<Record<FindingStatus, string>> = {
  qualified: 'qualify it (severity and root cause)',
  action_requested: 'request a corrective action (due date and message)',
  verified: 'check the effectiveness of a completed corrective action',
  action_submitted: 'the partner submits a corrective action',
};

/**
 * Why a finding may not go from `from` to `to` by that move, or null when it may. `qualified`,
 * `action_requested`, `verified` and `action_submitted` are reached only by their dedicated step, and each
 * step reaches only its own status.
 *
 * @example findingTransitionError('open', 'verified', 'review') // 'a finding cannot go from open to verified …'
 */
export function findingTransitionError(
  from: FindingStatus,
  to: FindingStatus,
  move: FindingMove,
): string | null {
  if (from === to && to !== 'action_requested') return `the finding is already ${to}`;
  // Asking again (new due date, new message) while an action is requested is allowed.
  if (from === to && move !== 'request') return `the finding is already ${to}`;
  if (from !== to && !findingTransitions[from].includes(to)) {
    const allowed = findingTransitions[from];
    return `a finding cannot go from ${from} to ${to} (from ${from}: ${allowed.join(', ')})`;
  }
  if (move === 'review') {
    if (to === 'action_submitted')
      return 'a finding becomes action_submitted when the partner submits a corrective action';
    const hint = stepHint[to];
    if (hint) return `a finding becomes ${to} through its own step: ${hint}`;
    return null;
  }
  if (stepTarget[move] !== to) {
    if (move === 'answer') return 'a partner’s answer can only submit a corrective action';
    return `this step moves a finding to ${stepTarget[move]}, not ${to}`;
  }
  return null;
}

/** Whether the move re-opens a finding (its closing date is then cleared). */
export const isReopening = (from: FindingStatus, to: FindingStatus): boolean =>
  to === 'open' && (from === 'closed' || from === 'verified');

export const correctiveActionStatuses = ['proposed', 'accepted', 'done', 'verified', 'rejected'] as const;
export type CorrectiveActionStatus = (typeof correctiveActionStatuses)[number];

/**
 * A corrective action is accepted (or rejected) as proposed, then done (reported by the partner with its
 * evidence; an action already carried out when proposed may be reported done at once), then verified by
 * the certifier's effectiveness check, or rejected when not effective.
 */
export const correctiveActionTransitions: Readonly<
  Record<CorrectiveActionStatus, readonly CorrectiveActionStatus[]>
> = {
  proposed: ['accepted', 'rejected', 'done'],
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
