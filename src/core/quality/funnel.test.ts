import { describe, expect, it } from 'vitest';
import { FUNNEL_Z, funnelCurve, funnelLimits, funnelZone } from './funnel.js';

describe('funnel plot', () => {
  it('narrows the limits as the sample grows, and clips them to 0…1', () => {
    const small = funnelLimits(0.8, 10, FUNNEL_Z.warning);
    const large = funnelLimits(0.8, 1000, FUNNEL_Z.warning);
    expect(small.upper).toBe(1);
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
    expect(large.lower).toBeCloseTo(0.8 - 1.96 * Math.sqrt(0.16 / 1000), 10);
    expect(funnelLimits(0.5, 0, 3)).toEqual({ lower: 0, upper: 1 });
  });

  it('classifies partners: 100 % of 200 is an alarm, 100 % of 5 is not', () => {
    expect(funnelZone(0.75, 200, 200)).toBe('alarm_high');
    expect(funnelZone(0.75, 5, 5)).toBe('inside');
    expect(funnelZone(0.75, 200, 100)).toBe('alarm_low');
    // 0.75 ± 1.96·√(0.1875/300) = 0.701…0.799; ± 3.09… = 0.673…0.827
    expect(funnelZone(0.75, 300, 243)).toBe('warning_high');
    expect(funnelZone(0.75, 300, 225)).toBe('inside');
  });

  it('draws a curve from n = 1 to the largest sample', () => {
    const curve = funnelCurve(0.7, 400, FUNNEL_Z.alarm, 10);
    expect(curve).toHaveLength(11);
    expect(curve[0]?.n).toBe(1);
    expect(curve.at(-1)?.n).toBeCloseTo(400, 6);
  });
});
