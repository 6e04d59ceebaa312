/**
 * A funnel plot of success rates: each partner's rate against the network's, with control limits that
 * narrow as its number of candidates grows. Limits use the normal approximation of the binomial,
 * p ± z·√(p(1−p)/n), clipped to [0, 1]: z = 1.96 (95 %, warning) and z = 3.09 (99.8 %, alarm). Pure.
 */

export const FUNNEL_Z = { warning: 1.96, alarm: 3.09 } as const;

export interface FunnelLimits {
  lower: number;
  upper: number;
}

/** The control limits around the network rate `p` for a partner with `n` candidates. */
export function funnelLimits(p: number, n: number, z: number): FunnelLimits {
  if (n <= 0) return { lower: 0, upper: 1 };
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return { lower: Math.max(0, p - half), upper: Math.min(1, p + half) };
}

export type FunnelZone = 'inside' | 'warning_high' | 'warning_low' | 'alarm_high' | 'alarm_low';

/** Where a partner with `passed` of `n` falls against the network rate `p`. */
export function funnelZone(p: number, n: number, passed: number): FunnelZone {
  if (n <= 0) return 'inside';
  const rate = passed / n;
  const alarm = funnelLimits(p, n, FUNNEL_Z.alarm);
  if (rate > alarm.upper) return 'alarm_high';
  if (rate < alarm.lower) return 'alarm_low';
  const warning = funnelLimits(p, n, FUNNEL_Z.warning);
  if (rate > warning.upper) return 'warning_high';
  if (rate < warning.lower) return 'warning_low';
  return 'inside';
}

/** The curve of a limit from n = 1 to `maxN`, in `steps` points spread evenly on a √n scale. */
export function funnelCurve(p: number, maxN: number, z: number, steps = 40) {
  const points: { n: number; lower: number; upper: number }[] = [];
  const top = Math.sqrt(Math.max(1, maxN));
  for (let i = 0; i <= steps; i++) {
    const n = Math.max(1, (1 + ((top - 1) * i) / steps) ** 2);
    points.push({ n, ...funnelLimits(p, n, z) });
  }
  return points;
}
