/**
 * Periods of validity (habilitations, conventions) as inclusive ranges of ISO dates; an open end is `null`.
 * ISO `YYYY-MM-DD` strings compare in calendar order, so plain string comparison is exact.
 */
export interface Period {
  startsOn: string;
  endsOn: string | null;
}

/** Whether two inclusive periods share at least one day. */
export function periodsOverlap(a: Period, b: Period): boolean {
  const aEndsBeforeB = a.endsOn !== null && a.endsOn < b.startsOn;
  const bEndsBeforeA = b.endsOn !== null && b.endsOn < a.startsOn;
  return !aEndsBeforeB && !bEndsBeforeA;
}

/** Whether the day (ISO date) falls within the period, both ends included. */
export function periodIncludes(period: Period, day: string): boolean {
  return period.startsOn <= day && (period.endsOn === null || day <= period.endsOn);
}

/** A reason when the period ends before it starts, else null. */
export function periodError(period: Period): string | null {
  return period.endsOn !== null && period.endsOn < period.startsOn ? 'must not be before startsOn' : null;
}

/**
 * The calendar day of an instant in a time zone, as an ISO date. Habilis decides "valid on the day" in the
 * certifier's time zone (France: Europe/Paris), not in UTC, so that a decision taken at 00:30 in Paris
 * counts for that day.
 *
 * @example calendarDay(new Date('2026-11-22T23:30:00Z')) === '2026-11-23'
 */
export function calendarDay(instant: Date, timeZone = 'Europe/Paris'): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}
