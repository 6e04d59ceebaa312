import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import {
  assertTransition,
  canTransition,
  type HabilitationStatus,
  habilitationStatuses,
  isFinalStatus,
  liveHabilitationStatuses,
} from './lifecycle.js';

// The lifecycle written out move by move, independently of the table under test: every pair not listed
// here must be refused.
const allowed: ReadonlyArray<readonly [HabilitationStatus, HabilitationStatus]> = [
  ['application', 'review'],
  ['application', 'ended'],
  ['review', 'active'],
  ['review', 'application'],
  ['review', 'ended'],
  ['active', 'under_watch'],
  ['active', 'suspended'],
  ['active', 'withdrawn'],
  ['active', 'expired'],
  ['active', 'ended'],
  ['under_watch', 'active'],
  ['under_watch', 'suspended'],
  ['under_watch', 'withdrawn'],
  ['under_watch', 'expired'],
  ['under_watch', 'ended'],
  ['suspended', 'active'],
  ['suspended', 'under_watch'],
  ['suspended', 'withdrawn'],
  ['suspended', 'expired'],
  ['suspended', 'ended'],
];
const isAllowed = (from: HabilitationStatus, to: HabilitationStatus) =>
  allowed.some(([f, t]) => f === from && t === to);

const pairs = habilitationStatuses.flatMap((from) => habilitationStatuses.map((to) => [from, to] as const));

describe('habilitation lifecycle', () => {
  it.each(pairs.filter(([f, t]) => isAllowed(f, t)))('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(pairs.filter(([f, t]) => !isAllowed(f, t)))(
    'refuses %s → %s with a conflict naming both',
    (from, to) => {
      expect(canTransition(from, to)).toBe(false);
      let thrown: unknown;
      try {
        assertTransition(from, to);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      const error = thrown as AppError;
      expect(error.code).toBe('conflict');
      expect(error.message).toContain(`from ${from} to ${to}`);
      expect(error.details).toMatchObject({ from, to });
      expect(error.fields).toEqual([{ field: 'toStatus', message: `not allowed from ${from}` }]);
    },
  );

  it('covers all 64 pairs', () => {
    expect(pairs).toHaveLength(64);
  });

  it('withdrawn, expired and ended are final; the others are live', () => {
    expect(habilitationStatuses.filter(isFinalStatus)).toEqual(['withdrawn', 'expired', 'ended']);
    expect(liveHabilitationStatuses).toEqual(['application', 'review', 'active', 'under_watch', 'suspended']);
  });
});
