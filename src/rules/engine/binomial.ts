/**
 * The exact binomial test, written here rather than taken from a statistics package: the success-rate
 * control needs only the two tails, computed in log space so that samples of tens of thousands of
 * candidates neither overflow nor lose the tiny p-values that matter.
 */

// Lanczos approximation (g = 7, n = 9), relative error below 1e-15 for positive arguments.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln of the binomial coefficient C(n, k). */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** ln P(X = k) for X ~ Binomial(n, p), 0 < p < 1. */
function logPmf(n: number, k: number, p: number): number {
  return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

function checkArguments(n: number, k: number, p: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0 (got ${n})`);
  if (!Number.isInteger(k)) throw new RangeError(`k must be a whole number (got ${k})`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be within [0, 1] (got ${p})`);
}

/**
 * Sums P(X = i) from i = from, stepping by `step` (+1 upwards, -1 downwards), while the terms matter.
 * Called only on the side of the mode where the terms decrease, so it may stop once they are negligible.
 */
function sumTail(n: number, from: number, step: 1 | -1, p: number): number {
  const first = logPmf(n, from, p);
  let total = 0;
  let i = from;
  let term = first;
  // Relative to the first (largest) term, to keep precision on p-values far below 1e-300's neighbours.
  while (i >= 0 && i <= n) {
    const ratio = Math.exp(term - first);
    total += ratio;
    if (ratio < 1e-17 * total) break;
    i += step;
    if (i < 0 || i > n) break;
    term = logPmf(n, i, p);
  }
  return Math.min(1, Math.exp(first) * total);
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the chance of `k` or more successes out of `n` when each succeeds
 * with probability `p`.
 *
 * @example binomialUpperTail(10, 8, 0.5) // 56 / 1024 = 0.0546875
 */
export function binomialUpperTail(n: number, k: number, p: number): number {
  checkArguments(n, k, p);
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  // Above the mean the terms decrease from k upwards; below it, use the complement of the other tail.
  if (k > n * p) return sumTail(n, k, 1, p);
  return Math.max(0, 1 - binomialLowerTail(n, k - 1, p));
}

/**
 * P(X ≤ k) for X ~ Binomial(n, p).
 *
 * @example binomialLowerTail(20, 2, 0.5) // 211 / 1048576
 */
export function binomialLowerTail(n: number, k: number, p: number): number {
  checkArguments(n, k, p);
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  if (k < n * p) return sumTail(n, k, -1, p);
  return Math.max(0, 1 - binomialUpperTail(n, k + 1, p));
}

/**
 * The one-sided p-value in the direction of the observation: how surprising `k` successes out of `n` are
 * when the expected rate is `p` (the upper tail when k/n is above p, the lower tail otherwise).
 */
export function binomialSurprise(
  n: number,
  k: number,
  p: number,
): { direction: 'high' | 'low'; pValue: number } {
  return k / n > p
    ? { direction: 'high', pValue: binomialUpperTail(n, k, p) }
    : { direction: 'low', pValue: binomialLowerTail(n, k, p) };
}
