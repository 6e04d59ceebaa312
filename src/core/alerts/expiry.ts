import { daysBetween } from '../declarations/declaration.js';

/** The reminders before a convention or a habilitation ends: 90, 30 and 7 days ahead. */
export const expiryThresholds = [90, 30, 7] as const;
export type ExpiryThreshold = (typeof expiryThresholds)[number];

/**
 * The tightest threshold an end date has crossed on `today` (7 when 7 days or fewer are left, then 30,
 * then 90), or null when it is further away than 90 days or already past.
 *
 * @example expiryThresholdOf('2026-01-31', '2026-01-01') === 30
 */
export function expiryThresholdOf(endsOn: string, today: string): ExpiryThreshold | null {
  const left = daysBetween(today, endsOn);
  if (left < 0) return null;
  let found: ExpiryThreshold | null = null;
  for (const threshold of expiryThresholds) if (left <= threshold) found = threshold;
  return found;
}
