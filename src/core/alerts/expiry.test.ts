import { describe, expect, it } from 'vitest';
import { expiryThresholdOf } from './expiry.js';

describe('expiry thresholds', () => {
  it('gives the tightest reminder reached: 7, 30 or 90 days ahead, none beyond or after the end', () => {
    expect(expiryThresholdOf('2026-01-01', '2026-01-01')).toBe(7);
    expect(expiryThresholdOf('2026-01-08', '2026-01-01')).toBe(7);
    expect(expiryThresholdOf('2026-01-09', '2026-01-01')).toBe(30);
    expect(expiryThresholdOf('2026-01-31', '2026-01-01')).toBe(30);
    expect(expiryThresholdOf('2026-02-01', '2026-01-01')).toBe(90);
    expect(expiryThresholdOf('2026-04-01', '2026-01-01')).toBe(90);
    expect(expiryThresholdOf('2026-04-02', '2026-01-01')).toBeNull();
    expect(expiryThresholdOf('2025-12-31', '2026-01-01')).toBeNull();
  });
});
