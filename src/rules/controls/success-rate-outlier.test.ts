import { describe, expect, it } from 'vitest';
import { type SuccessCount, successRateOutliers } from './success-rate-outlier.js';

const row = (organisationId: string, presented: number, passed: number, year = 2026): SuccessCount => ({
  organisationId,
  certificationId: 'c',
  year,
  presented,
  passed,
  legalName: organisationId,
  certificationCode: 'RNCP1',
});

describe('successRateOutliers', () => {
  const parameters = { minSample: 20, alpha: 0.001 };

  it('compares each partner with the others (leave-one-out), per certification and year', () => {
    const found = successRateOutliers(
      [row('a', 200, 120), row('b', 200, 124), row('d', 200, 118), row('c', 50, 50)],
      parameters,
    );
    expect(found.map((o) => o.row.organisationId)).toEqual(['c']);
    expect(found[0]?.networkRate).toBeCloseTo(362 / 600, 12);
    expect(found[0]?.networkPresented).toBe(600);
  });

  it('keeps years apart: a partner alone in its year has no network to compare with', () => {
    expect(successRateOutliers([row('a', 100, 60), row('b', 100, 100, 2025)], parameters)).toEqual([]);
  });
});
