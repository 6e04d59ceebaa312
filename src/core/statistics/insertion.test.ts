import { describe, expect, it } from 'vitest';
import { insertionRates } from './insertion.js';

describe('insertionRates', () => {
  it('leaves further studies, alternance, unable to work and abroad out of both rates', () => {
    const r = insertionRates(
      {
        employed_target: 6,
        employed_other: 2,
        job_seeking: 1,
        further_studies: 1,
        alternance: 1,
        unable_to_work: 1,
        abroad: 1,
      },
      20,
    );
    expect(r).toEqual({
      invited: 20,
      respondents: 13,
      responseRate: 13 / 20,
      excluded: 4,
      base: 9,
      employedTarget: 6,
      employedAny: 8,
      targetRate: 6 / 9,
      globalRate: 8 / 9,
    });
  });

  it('leaves work abroad out, even in the targeted occupation, unless that occupation is international', () => {
    const answers = { employed_target: 4, employed_other: 1, job_seeking: 1, abroad_target: 2, abroad: 1 };
    expect(insertionRates(answers, 10)).toMatchObject({
      respondents: 9,
      excluded: 3,
      base: 6,
      targetRate: 4 / 6,
      globalRate: 5 / 6,
    });
    // International occupation: abroad in it is employment in it; abroad in another one stays out.
    expect(insertionRates(answers, 10, { internationalOccupation: true })).toMatchObject({
      respondents: 9,
      excluded: 1,
      base: 8,
      employedTarget: 6,
      employedAny: 7,
      targetRate: 6 / 8,
      globalRate: 7 / 8,
    });
  });

  it('has no rate without a base', () => {
    expect(insertionRates({ further_studies: 2 }, 0)).toMatchObject({
      responseRate: null,
      targetRate: null,
      globalRate: null,
    });
  });
});
