import { describe, expect, it } from 'vitest';
import { binomialLowerTail, binomialSurprise, binomialUpperTail, logGamma } from './binomial.js';

/** P(X ≥ k) exactly, as a rational computed with BigInt, for p = num/den. */
function exactUpper(n: number, k: number, num: number, den: number): number {
  let total = 0n;
  let choose = 1n; // C(n, 0)
  for (let i = 0; i <= n; i++) {
    if (i > 0) choose = (choose * BigInt(n - i + 1)) / BigInt(i);
    if (i >= k) total += choose * BigInt(num) ** BigInt(i) * BigInt(den - num) ** BigInt(n - i);
  }
  const denominator = BigInt(den) ** BigInt(n);
  // Scale to keep 18 significant digits of the ratio.
  const scale = 10n ** 30n;
  return Number((total * scale) / denominator) / 1e30;
}

describe('binomial tails', () => {
  it('logGamma matches factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });

  it.each([
    { n: 10, k: 8, p: 0.5, expected: 56 / 1024 },
    { n: 20, k: 0, p: 0.5, expected: 1 },
    { n: 20, k: 21, p: 0.5, expected: 0 },
    { n: 1, k: 1, p: 0.3, expected: 0.3 },
  ])('P(X ≥ $k | n=$n, p=$p) = $expected', ({ n, k, p, expected }) => {
    expect(binomialUpperTail(n, k, p)).toBeCloseTo(expected, 14);
  });

  it('P(X ≤ 2 | n=20, p=0.5) = 211 / 2^20', () => {
    expect(binomialLowerTail(20, 2, 0.5)).toBeCloseTo(211 / 1_048_576, 15);
  });

  it.each([
    { n: 100, k: 40, num: 3, den: 10 },
    { n: 100, k: 20, num: 3, den: 10 },
    { n: 250, k: 230, num: 7, den: 10 },
    { n: 400, k: 5, num: 1, den: 20 },
  ])('upper and lower tails agree with exact rationals (n=$n, k=$k, p=$num/$den)', ({ n, k, num, den }) => {
    const p = num / den;
    const upper = exactUpper(n, k, num, den);
    const lower = 1 - exactUpper(n, k + 1, num, den);
    expect(Math.abs(binomialUpperTail(n, k, p) - upper)).toBeLessThan(1e-12 + upper * 1e-9);
    expect(Math.abs(binomialLowerTail(n, k, p) - lower)).toBeLessThan(1e-12 + lower * 1e-9);
  });

  it('keeps tiny p-values of large samples (no underflow to 0 before 1e-300)', () => {
    // 900 successes of 1,000 when 0.6 is expected: astronomically unlikely, but a number, and below 1e-80.
    const tail = binomialUpperTail(1000, 900, 0.6);
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(1e-80);
    // An expected result is not surprising.
    expect(binomialSurprise(1000, 600, 0.6).pValue).toBeGreaterThan(0.4);
  });

  it('answers the direction of the deviation', () => {
    expect(binomialSurprise(50, 49, 0.6).direction).toBe('high');
    expect(binomialSurprise(50, 10, 0.6).direction).toBe('low');
  });

  it('refuses impossible arguments', () => {
    expect(() => binomialUpperTail(-1, 0, 0.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(10, 2, 1.5)).toThrow(RangeError);
  });
});
