import { describe, expect, it } from 'vitest';
import { finalisationRefusal } from './sanction.schema.js';
import { suggestSanctionLevel } from './suggestion.js';

const today = '2026-11-23';
const major = (openedOn: string, isLive = true) => ({ severity: 'major' as const, openedOn, isLive });

describe('suggestSanctionLevel', () => {
  it('suggests nothing without findings, an observation for minor ones, a warning for a major one', () => {
    expect(suggestSanctionLevel({ findings: [], sanctions: [] }, today)).toBeNull();
    expect(
      suggestSanctionLevel(
        { findings: [{ severity: 'minor', openedOn: '2026-10-01', isLive: true }], sanctions: [] },
        today,
      ),
    ).toEqual({ level: 'observation', reasons: [{ code: 'minor_findings', count: 1 }] });
    expect(suggestSanctionLevel({ findings: [major('2026-10-01')], sanctions: [] }, today)?.level).toBe(
      'warning',
    );
  });

  it('suspends on a live critical finding or three major ones within twelve months', () => {
    expect(
      suggestSanctionLevel(
        { findings: [{ severity: 'critical', openedOn: '2026-11-01', isLive: true }], sanctions: [] },
        today,
      )?.level,
    ).toBe('suspension');
    const three = [major('2026-01-05'), major('2026-06-01', false), major('2026-11-02')];
    expect(suggestSanctionLevel({ findings: three, sanctions: [] }, today)).toEqual({
      level: 'suspension',
      reasons: [{ code: 'repeated_major', count: 3, months: 12 }],
    });
    // The oldest falls out of the window.
    const spread = [major('2025-10-01'), major('2026-06-01'), major('2026-11-02')];
    expect(suggestSanctionLevel({ findings: spread, sanctions: [] }, today)?.level).toBe('warning');
  });

  it('withdraws when a suspended partner repeats major findings, and climbs one step after a sanction', () => {
    const three = [major('2026-03-05'), major('2026-06-01'), major('2026-11-02')];
    expect(
      suggestSanctionLevel(
        { findings: three, sanctions: [{ level: 'suspension', decidedOn: '2026-07-01' }] },
        today,
      )?.level,
    ).toBe('withdrawal');
    expect(
      suggestSanctionLevel(
        { findings: [major('2026-11-02')], sanctions: [{ level: 'warning', decidedOn: '2026-07-01' }] },
        today,
      ),
    ).toEqual({
      level: 'reinforced_watch',
      reasons: [
        { code: 'major_finding', count: 1 },
        { code: 'previous_sanction', level: 'warning', decidedOn: '2026-07-01' },
      ],
    });
  });
});

describe('finalisationRefusal', () => {
  it('waits for the reply or its deadline', () => {
    const notified = { status: 'notified' as const, replyDueOn: '2026-11-30', reply: null };
    expect(finalisationRefusal(notified, '2026-11-30')).toMatch(/may reply until 2026-11-30/);
    expect(finalisationRefusal(notified, '2026-12-01')).toBeNull();
    expect(finalisationRefusal({ ...notified, reply: 'Nous contestons.' }, '2026-11-24')).toBeNull();
    expect(finalisationRefusal({ ...notified, status: 'proposed' }, '2026-12-01')).toMatch(/once notified/);
  });
});
