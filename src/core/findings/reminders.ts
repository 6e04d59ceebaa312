import type { FindingStatus } from './finding-status.js';

/**
 * When a late finding is reminded to its partner and when it is escalated. A finding is late when the
 * partner has not answered a request by its due date (`action_requested`), or has not carried out an
 * accepted corrective action by that action's due date (`action_submitted`). The first reminder goes the day
 * after the due date, the next ones every `everyDays`; once `escalateAfterDays` late, the finding is
 * escalated (once) and the quality manager decides what follows (a new request, a sanction).
 */
export interface ReminderPolicy {
  everyDays: number;
  escalateAfterDays: number;
}

export const defaultReminderPolicy: ReminderPolicy = { everyDays: 7, escalateAfterDays: 15 };

export interface LateFindingFacts {
  status: FindingStatus;
  /** The due date that applies (request, or earliest accepted action not done); null when none. */
  dueOn: string | null;
  /** The day of the last reminder or escalation sent for this finding, if any. */
  lastSentOn: string | null;
}

export type ReminderDecision = { kind: 'reminder' | 'escalation'; daysLate: number } | null;

/** Whole days from `from` to `to` (ISO dates), negative when `to` is before `from`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * What to send today for one finding, or null.
 *
 * @example reminderDecision({ status: 'action_requested', dueOn: '2026-03-01', lastSentOn: null }, '2026-03-02')
 * // { kind: 'reminder', daysLate: 1 }
 */
export function reminderDecision(
  facts: LateFindingFacts,
  today: string,
  policy: ReminderPolicy = defaultReminderPolicy,
): ReminderDecision {
  if (facts.status !== 'action_requested' && facts.status !== 'action_submitted') return null;
  if (facts.dueOn === null) return null;
  const daysLate = daysBetween(facts.dueOn, today);
  if (daysLate <= 0) return null;
  if (daysLate >= policy.escalateAfterDays) return { kind: 'escalation', daysLate };
  // Reminders count from the due date: one per `everyDays` window, whatever day the job runs.
  if (facts.lastSentOn !== null && facts.lastSentOn >= facts.dueOn) {
    if (facts.lastSentOn >= today || daysBetween(facts.lastSentOn, today) < policy.everyDays) return null;
  }
  return { kind: 'reminder', daysLate };
}
