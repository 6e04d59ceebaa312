import { describe, expect, it } from 'vitest';
import { habilitationConditions } from './habilitation.schema.js';

describe('habilitationConditions', () => {
  it('keeps the known conditions when they make sense, and the certifier’s own ones as given', () => {
    const conditions = { minimumHours: 140, maxGroupSize: 16, inPersonShare: 0.5, sites: ['Montpellier'] };
    expect(habilitationConditions.parse(conditions)).toEqual(conditions);
  });

  it('names each known condition that does not make sense', () => {
    const result = habilitationConditions.safeParse({
      minimumHours: -3,
      maxGroupSize: 12.5,
      inPersonShare: 50,
      other: 'kept',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('/')).sort()).toEqual([
      'inPersonShare',
      'maxGroupSize',
      'minimumHours',
    ]);
  });

  it('refuses a number given as text', () => {
    expect(habilitationConditions.safeParse({ minimumHours: '140' }).success).toBe(false);
  });
});
