import { describe, expect, it } from 'vitest';
import { type HabilitationFacts, habilitationCoverage } from './habilitation-coverage.js';

const BC01 = { id: 'b1', code: 'RNCP35419BC01' };
const BC02 = { id: 'b2', code: 'RNCP35419BC02' };
const BC03 = { id: 'b3', code: 'RNCP35419BC03' };

const habilitation = (overrides: Partial<HabilitationFacts> = {}): HabilitationFacts => ({
  id: 'h1',
  scope: 'train',
  status: 'active',
  startsOn: '2026-01-01',
  endsOn: '2026-12-31',
  coversAllSkillBlocks: false,
  skillBlockIds: ['b1', 'b2'],
  ...overrides,
});

const training = {
  activity: 'train' as const,
  startsOn: '2026-03-02',
  endsOn: '2026-06-26',
  skillBlocks: [BC01],
};

describe(habilitationCoverage.name, () => {
  it('accepts a training within scope, status, period and blocks', () => {
    expect(habilitationCoverage([habilitation()], training)).toEqual({ covered: true, habilitationId: 'h1' });
    expect(
      habilitationCoverage([habilitation({ scope: 'both', status: 'under_watch' })], training).covered,
    ).toBe(true);
    expect(habilitationCoverage([habilitation({ endsOn: null })], training).covered).toBe(true);
  });

  it('names each gap: scope, status, period, blocks', () => {
    const result = habilitationCoverage(
      [habilitation({ scope: 'evaluate', status: 'suspended', endsOn: '2026-05-31' })],
      { ...training, skillBlocks: [BC01, BC03] },
    );
    expect(result.covered).toBe(false);
    if (result.covered) return;
    expect(result.gaps.map((g) => [g.kind, g.field])).toEqual([
      ['scope', 'certificationId'],
      ['status', 'certificationId'],
      ['period', 'endsOn'],
      ['skill_blocks', 'skillBlockIds'],
    ]);
    expect(result.gaps[3]!.message).toBe('skill blocks not covered by the habilitation: RNCP35419BC03');
    expect(result.gaps[1]!.message).toBe('the habilitation is suspended (it must be active or under_watch)');
  });

  it('evaluation needs an active habilitation: under watch is not enough', () => {
    const result = habilitationCoverage([habilitation({ scope: 'evaluate', status: 'under_watch' })], {
      activity: 'evaluate',
      startsOn: '2026-04-01',
      endsOn: '2026-04-01',
      skillBlocks: [],
    });
    expect(result).toMatchObject({ covered: false, gaps: [{ kind: 'status' }] });
  });

  it('a habilitation over all blocks covers any block, and another habilitation can cover what one lacks', () => {
    expect(
      habilitationCoverage([habilitation({ coversAllSkillBlocks: true, skillBlockIds: [] })], {
        ...training,
        skillBlocks: [BC01, BC02, BC03],
      }).covered,
    ).toBe(true);
    const two = [
      habilitation({ id: 'old', endsOn: '2025-12-31', startsOn: '2025-01-01' }),
      habilitation({ id: 'new' }),
    ];
    expect(habilitationCoverage(two, training)).toEqual({ covered: true, habilitationId: 'new' });
  });

  it('answers the gaps of the closest habilitation, or that there is none', () => {
    const result = habilitationCoverage(
      [
        habilitation({ id: 'far', scope: 'evaluate', status: 'withdrawn' }),
        habilitation({ id: 'near', status: 'expired' }),
      ],
      training,
    );
    expect(result).toMatchObject({ covered: false, gaps: [{ kind: 'status' }] });
    expect(habilitationCoverage([], training)).toMatchObject({ covered: false, gaps: [{ kind: 'none' }] });
  });

  it('a period starting before the habilitation is named on startsOn', () => {
    const result = habilitationCoverage([habilitation({ startsOn: '2026-04-01' })], training);
    expect(result).toMatchObject({ covered: false, gaps: [{ kind: 'period', field: 'startsOn' }] });
  });
});
