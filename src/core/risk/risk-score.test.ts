import { describe, expect, it } from 'vitest';
import { type RiskFacts, riskLevel, riskWeights, scoreRisk } from './risk-score.js';

const clean: RiskFacts = {
  organisationId: '00000000-0000-4000-8000-000000000001',
  siret: '80875076400025',
  legalName: 'Clean',
  candidates: 0,
  trainees: 0,
  findingsCritical: 0,
  findingsMajor: 0,
  findingsMinor: 0,
  outliers: 0,
  successRateHigh: 0,
  lastAuditOn: '2026-10-23',
  qualiopiStatus: 'certified',
  qualiopiExpiresOn: '2028-01-01',
  trainsOnCpf: false,
  complaints: null,
};
const asOf = '2026-11-23';
const factor = (facts: Partial<RiskFacts>, id: string) =>
  scoreRisk({ ...clean, ...facts }, asOf).factors.find((f) => f.id === id);

describe('scoreRisk', () => {
  it('weights sum to 100 and the score is the sum of the contributions', () => {
    expect(Object.values(riskWeights).reduce((a, b) => a + b, 0)).toBe(100);
    const s = scoreRisk({ ...clean, candidates: 40, findingsMajor: 1, lastAuditOn: null }, asOf);
    const sum = s.factors.reduce((a, f) => a + f.contribution, 0);
    expect(s.score).toBeCloseTo(sum, 6);
    expect(s.factors.map((f) => f.id)).toEqual([
      'volume',
      'findings',
      'outliers',
      'lastAudit',
      'qualiopi',
      'complaints',
    ]);
  });

  it('a quiet, recently audited, certified partner is low risk', () => {
    const s = scoreRisk(clean, asOf);
    expect(s.level).toBe('low');
    expect(s.score).toBeLessThan(5);
    expect(factor({}, 'lastAudit')).toMatchObject({ value: 31, contribution: 0.8 });
  });

  it.each([
    { facts: { findingsCritical: 1 }, contribution: 30 },
    { facts: { findingsMajor: 1 }, contribution: 15 },
    { facts: { findingsMajor: 3 }, contribution: 30 },
    { facts: { findingsMinor: 2 }, contribution: 9 },
  ])('open findings by severity: $facts → $contribution', ({ facts, contribution }) => {
    expect(factor(facts, 'findings')?.contribution).toBe(contribution);
  });

  it('an abnormally high success rate counts double against other statistical signals', () => {
    expect(factor({ outliers: 1, successRateHigh: 1 }, 'outliers')?.contribution).toBe(20);
    expect(factor({ outliers: 1 }, 'outliers')?.contribution).toBe(10);
  });

  it('never audited is the full last-audit weight, explained', () => {
    const f = factor({ lastAuditOn: null }, 'lastAudit');
    expect(f).toMatchObject({ value: null, contribution: 20 });
    expect(f?.why).toContain('Jamais audité');
  });

  it.each([
    { facts: {}, contribution: 0 },
    { facts: { qualiopiExpiresOn: '2027-01-10' }, contribution: 7.5 },
    { facts: { qualiopiStatus: 'lapsed', trainsOnCpf: true }, contribution: 15 },
    {
      facts: { qualiopiStatus: 'certified', qualiopiExpiresOn: '2026-11-01', trainsOnCpf: true },
      contribution: 15,
    },
    { facts: { qualiopiStatus: 'not_certified' }, contribution: 9 },
    { facts: { qualiopiStatus: 'unknown' }, contribution: 7.5 },
  ])('Qualiopi $facts → $contribution', ({ facts, contribution }) => {
    expect(factor(facts, 'qualiopi')?.contribution).toBe(contribution);
  });

  it('volume grows with activity and saturates', () => {
    const small = factor({ candidates: 5 }, 'volume')?.contribution ?? 0;
    const big = factor({ candidates: 300, trainees: 200 }, 'volume')?.contribution ?? 0;
    expect(small).toBeGreaterThan(0);
    expect(big).toBe(15);
    expect(factor({ candidates: 5000 }, 'volume')?.contribution).toBe(15);
  });

  it('complaints weigh nothing while there is no data, and say so', () => {
    expect(factor({}, 'complaints')).toMatchObject({ value: null, weight: 0, contribution: 0 });
  });

  it('a partner with a critical finding, never audited, lapsed on CPF is high risk', () => {
    const s = scoreRisk(
      { ...clean, findingsCritical: 1, lastAuditOn: null, qualiopiStatus: 'lapsed', trainsOnCpf: true },
      asOf,
    );
    expect(s.level).toBe('high');
    expect(s.score).toBe(65);
  });

  it.each([
    [0, 'low'],
    [29.9, 'low'],
    [30, 'medium'],
    [59.9, 'medium'],
    [60, 'high'],
  ] as const)('score %d is %s', (score, level) => {
    expect(riskLevel(score)).toBe(level);
  });
});
