import { describe, expect, it } from 'vitest';
import { bucketOf, type PlanPartner, proposePlan } from './plan.js';

const partner = (id: number, o: Partial<PlanPartner> = {}): PlanPartner => ({
  organisationId: `0000000${id}-0000-4000-8000-000000000000`.slice(-36),
  legalName: `P${id}`,
  score: 10,
  level: 'low',
  periodStart: '2024-01-01',
  periodEnd: '2027-12-31',
  auditedInPeriod: false,
  ...o,
});

describe('proposePlan', () => {
  it('plans two audits for a high risk, one for a medium risk, in their quarters', () => {
    const plan = proposePlan(
      2027,
      [partner(1, { level: 'high', score: 70 }), partner(2, { level: 'medium', score: 40 })],
      '2026-11-23',
    );
    const high = partner(1).organisationId;
    expect(plan.map((e) => [e.organisationId === high, e.kind, e.depth, e.plannedOn])).toEqual([
      [true, 'on_site', 'reinforced', '2027-01-15'],
      [false, 'on_site', 'standard', '2027-04-15'],
      [true, 'observation', 'standard', '2027-07-15'],
    ]);
    expect(plan[0]?.reason).toContain('Risque élevé (score 70,0)');
  });

  it('plans a documentary review of a low risk not audited in its period, in the last year of the period', () => {
    const [entry] = proposePlan(2027, [partner(3)], '2026-11-23');
    expect(entry).toMatchObject({ kind: 'documentary', depth: 'light', riskLevel: 'low' });
    expect(entry?.reason).toContain('obligatoire cette année');
  });

  it('leaves alone a low risk already audited in its period', () => {
    expect(proposePlan(2027, [partner(4, { auditedInPeriod: true })], '2026-11-23')).toEqual([]);
  });

  it('spreads the low-risk reviews over the years left of the period, so each partner is audited once', () => {
    const partners = Array.from({ length: 300 }, (_, i) =>
      partner(i, {
        organisationId: `${((i * 2654435761) % 2 ** 32).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
        periodEnd: '2029-12-31',
      }),
    );
    const planned = new Set<string>();
    let left = partners;
    for (const year of [2027, 2028, 2029]) {
      const ids = proposePlan(year, left, `${year - 1}-12-01`).map((e) => e.organisationId);
      for (const id of ids) planned.add(id);
      left = left.filter((p) => !ids.includes(p.organisationId));
      if (year === 2027) expect(ids.length).toBeGreaterThan(50);
      if (year === 2027) expect(ids.length).toBeLessThan(150);
    }
    expect(planned.size).toBe(300);
    expect(left).toEqual([]);
  });

  it('moves dates already past to two weeks after the proposal, within the year', () => {
    const [entry] = proposePlan(2026, [partner(5, { level: 'medium', score: 35 })], '2026-11-23');
    expect(entry?.plannedOn).toBe('2026-12-07');
    const [late] = proposePlan(2026, [partner(6, { level: 'medium', score: 35 })], '2026-12-28');
    expect(late?.plannedOn).toBe('2026-12-31');
  });

  it('buckets an organisation the same way every time', () => {
    expect(bucketOf('0000000a-0000-4000-8000-000000000000', 3)).toBe(10 % 3);
  });
});
