import type { HabilitationScope } from '../habilitations/habilitation.js';
import type { HabilitationStatus } from '../habilitations/lifecycle.js';
import { habilitationTypeOfScope } from '../registry/reconcile.js';

/**
 * Declarations to France Compétences. Since décret 2025-500 the certifier must update the list of its
 * habilitated partners at France Compétences within two months of each change. Habilis derives the changes
 * from the habilitations' decisions (and from changes of scope), gives each its deadline, and records when
 * it was declared.
 */

/**
 * How a habilitation appears in the France Compétences list: not at all (an application, a review),
 * listed as habilitated (active or under reinforced watch: the partner still trains and evaluates),
 * suspended, withdrawn, or ended (end of term, expiry).
 */
export type DeclaredState = 'unlisted' | 'listed' | 'suspended' | 'withdrawn' | 'ended';

export function declaredStateOf(status: HabilitationStatus): DeclaredState {
  switch (status) {
    case 'application':
    case 'review':
      return 'unlisted';
    case 'active':
    case 'under_watch':
      return 'listed';
    case 'suspended':
      return 'suspended';
    case 'withdrawn':
      return 'withdrawn';
    case 'expired':
    case 'ended':
      return 'ended';
  }
}

/** The kinds of change to declare. `added` is the creation of the habilitation in the list (its grant). */
export const declarationChangeKinds = [
  'added',
  'reactivated',
  'suspended',
  'withdrawn',
  'ended',
  'scope_changed',
] as const;
export type DeclarationChangeKind = (typeof declarationChangeKinds)[number];

/**
 * The change a decision makes to the declared list, or null when the list does not change: an application
 * moving to review, a habilitation put under watch and back, an application closed before it was granted.
 *
 * @example declarationChangeOf('review', 'active') === 'added'
 */
export function declarationChangeOf(
  from: HabilitationStatus | null,
  to: HabilitationStatus,
): DeclarationChangeKind | null {
  const before = from === null ? 'unlisted' : declaredStateOf(from);
  const after = declaredStateOf(to);
  if (before === after) return null;
  // Never listed: closing an application changes nothing at France Compétences.
  if (before === 'unlisted' && after !== 'listed') return null;
  switch (after) {
    case 'listed':
      return before === 'unlisted' ? 'added' : 'reactivated';
    case 'suspended':
      return 'suspended';
    case 'withdrawn':
      return 'withdrawn';
    case 'ended':
      return 'ended';
    case 'unlisted':
      // Back from a listed state to application does not occur in the lifecycle; treat it as an end.
      return 'ended';
  }
}

/** Whether a change of scope must be declared: only for a habilitation France Compétences lists. */
export function isScopeChangeDeclared(status: HabilitationStatus): boolean {
  const state = declaredStateOf(status);
  return state === 'listed' || state === 'suspended';
}

/**
 * The day by which a change must be declared: the decision's day plus two calendar months, on the last day
 * of the month when the month is shorter (31 December → 28 or 29 February).
 *
 * @example declarationDueOn('2026-12-31') === '2027-02-28'
 */
export function declarationDueOn(decidedOn: string, months = 2): string {
  const [y, m, d] = decidedOn.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = monthIndex % 12; // 0-based
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days from `from` to `to` (ISO dates), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const declarationStatuses = ['declared', 'overdue', 'due_soon', 'pending'] as const;
export type DeclarationStatus = (typeof declarationStatuses)[number];

/** Within this many days of its deadline an undeclared change is `due_soon`. */
export const DUE_SOON_DAYS = 14;

/**
 * Where a change stands on `today`: declared (whenever), overdue (its deadline has passed), due soon (the
 * deadline is within `DUE_SOON_DAYS` days, today included), or pending.
 */
export function declarationStatusOf(change: { dueOn: string; declaredOn: string | null }, today: string) {
  if (change.declaredOn !== null) return 'declared' as const;
  const left = daysBetween(today, change.dueOn);
  if (left < 0) return 'overdue' as const;
  if (left <= DUE_SOON_DAYS) return 'due_soon' as const;
  return 'pending' as const;
}

/** The France Compétences habilitation value of a scope (train → HABILITATION_FORMER…). */
export const franceCompetencesValueOf = (scope: HabilitationScope) => habilitationTypeOfScope[scope];

/** The state France Compétences shows in the list, in its words. */
export const franceCompetencesStateLabel: Record<DeclaredState, string> = {
  unlisted: '',
  listed: 'Actif',
  suspended: 'Suspendu',
  withdrawn: 'Supprimé',
  ended: 'Supprimé',
};
