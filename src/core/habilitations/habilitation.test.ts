import { describe, expect, it } from 'vitest';
import {
  findOverlappingHabilitation,
  type HabilitationSlot,
  habilitationShapeIssues,
  scopesOverlap,
} from './habilitation.js';
import { calendarDay, periodError, periodIncludes, periodsOverlap } from './period.js';

describe('periods', () => {
  it('overlap when they share a day, both ends included', () => {
    expect(
      periodsOverlap(
        { startsOn: '2025-01-01', endsOn: '2025-06-30' },
        { startsOn: '2025-06-30', endsOn: null },
      ),
    ).toBe(true);
    expect(
      periodsOverlap(
        { startsOn: '2025-01-01', endsOn: '2025-06-29' },
        { startsOn: '2025-06-30', endsOn: null },
      ),
    ).toBe(false);
    expect(
      periodsOverlap({ startsOn: '2026-01-01', endsOn: null }, { startsOn: '2020-01-01', endsOn: null }),
    ).toBe(true);
    expect(
      periodsOverlap(
        { startsOn: '2026-01-01', endsOn: null },
        { startsOn: '2020-01-01', endsOn: '2025-12-31' },
      ),
    ).toBe(false);
  });

  it('include their first and last day', () => {
    const p = { startsOn: '2025-01-01', endsOn: '2025-12-31' };
    expect(periodIncludes(p, '2025-01-01')).toBe(true);
    expect(periodIncludes(p, '2025-12-31')).toBe(true);
    expect(periodIncludes(p, '2024-12-31')).toBe(false);
    expect(periodIncludes(p, '2026-01-01')).toBe(false);
    expect(periodIncludes({ startsOn: '2025-01-01', endsOn: null }, '2999-01-01')).toBe(true);
  });

  it('must not end before they start', () => {
    expect(periodError({ startsOn: '2025-01-02', endsOn: '2025-01-01' })).toBe('must not be before startsOn');
    expect(periodError({ startsOn: '2025-01-01', endsOn: '2025-01-01' })).toBeNull();
    expect(periodError({ startsOn: '2025-01-01', endsOn: null })).toBeNull();
  });

  it('count days in Paris time, not UTC', () => {
    expect(calendarDay(new Date('2026-11-22T23:30:00Z'))).toBe('2026-11-23');
    expect(calendarDay(new Date('2026-07-14T21:59:00Z'))).toBe('2026-07-14');
    expect(calendarDay(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
  });
});

describe('overlapping habilitations', () => {
  const slot = (o: Partial<HabilitationSlot> & { id?: string }): HabilitationSlot & { id: string } => ({
    id: 'x',
    scope: 'both',
    startsOn: '2025-01-01',
    endsOn: null,
    status: 'active',
    ...o,
  });

  it('scopes overlap unless one trains and the other evaluates', () => {
    expect(scopesOverlap('train', 'train')).toBe(true);
    expect(scopesOverlap('train', 'both')).toBe(true);
    expect(scopesOverlap('both', 'evaluate')).toBe(true);
    expect(scopesOverlap('train', 'evaluate')).toBe(false);
    expect(scopesOverlap('evaluate', 'train')).toBe(false);
  });

  it('finds a live habilitation whose scope and period overlap', () => {
    const existing = [slot({ id: 'a', scope: 'train', startsOn: '2024-01-01', endsOn: '2025-06-30' })];
    expect(findOverlappingHabilitation(slot({ id: 'new', scope: 'both' }), existing)?.id).toBe('a');
  });

  it('ignores disjoint scopes, disjoint periods, final statuses and itself', () => {
    const candidate = slot({ id: 'me', scope: 'evaluate', startsOn: '2025-01-01', endsOn: '2025-12-31' });
    const existing = [
      slot({ id: 'scope', scope: 'train' }),
      slot({ id: 'period', startsOn: '2026-01-01' }),
      slot({ id: 'withdrawn', status: 'withdrawn' }),
      slot({ id: 'expired', status: 'expired' }),
      slot({ id: 'ended', status: 'ended' }),
      slot({ id: 'me' }),
    ];
    expect(findOverlappingHabilitation(candidate, existing)).toBeUndefined();
    expect(
      findOverlappingHabilitation(candidate, [...existing, slot({ id: 'app', status: 'application' })])?.id,
    ).toBe('app');
  });
});

describe('habilitation shape', () => {
  const base = {
    startsOn: '2025-01-01',
    endsOn: null,
    coversAllSkillBlocks: true,
    skillBlockIds: [] as string[],
  };

  it('accepts all blocks, or a non-empty list', () => {
    expect(habilitationShapeIssues(base)).toEqual([]);
    expect(habilitationShapeIssues({ ...base, coversAllSkillBlocks: false, skillBlockIds: ['a'] })).toEqual(
      [],
    );
  });

  it('names the field of each problem', () => {
    expect(habilitationShapeIssues({ ...base, endsOn: '2024-12-31' })).toEqual([
      { field: 'endsOn', message: 'must not be before startsOn' },
    ]);
    expect(habilitationShapeIssues({ ...base, skillBlockIds: ['a'] })[0]?.field).toBe('skillBlockIds');
    expect(habilitationShapeIssues({ ...base, coversAllSkillBlocks: false })[0]?.field).toBe('skillBlockIds');
    expect(
      habilitationShapeIssues({ ...base, coversAllSkillBlocks: false, skillBlockIds: ['a', 'b', 'a'] }),
    ).toEqual([{ field: 'skillBlockIds/2', message: 'appears twice' }]);
  });
});
