import { periodIncludes } from '../habilitations/period.js';

export const conventionStatuses = ['draft', 'sent', 'signed', 'expired', 'terminated'] as const;
export type ConventionStatus = (typeof conventionStatuses)[number];

/** Terms may change only before signature: a signed convention is amended by a new one. */
export function isConventionEditable(status: ConventionStatus): boolean {
  return status === 'draft' || status === 'sent';
}

/** A convention is signed once, from draft or sent. */
export function canSignConvention(status: ConventionStatus): boolean {
  return status === 'draft' || status === 'sent';
}

/** Any convention not already terminated or expired may be terminated (a draft: abandoned). */
export function canTerminateConvention(status: ConventionStatus): boolean {
  return status === 'draft' || status === 'sent' || status === 'signed';
}

/** What decides whether a convention is in force on a day. */
export interface ConventionTerms {
  status: ConventionStatus;
  startsOn: string;
  endsOn: string | null;
  signedOn: string | null;
  /** The day a termination takes effect: no longer in force from that day on. */
  terminatedOn: string | null;
  certificationIds: readonly string[];
}

/**
 * Whether the convention is in force on `day` for that certification: it was signed on or before the day,
 * the day is within its period, it covers the certification, and no termination has taken effect by then.
 * A convention terminated with a later effective date stays in force until that date.
 */
export function isConventionValidOn(c: ConventionTerms, certificationId: string, day: string): boolean {
  if (c.signedOn === null || c.signedOn > day) return false;
  if (c.status === 'draft' || c.status === 'sent') return false;
  if (c.terminatedOn !== null && day >= c.terminatedOn) return false;
  return periodIncludes(c, day) && c.certificationIds.includes(certificationId);
}
