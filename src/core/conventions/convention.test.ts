import { describe, expect, it } from 'vitest';
import {
  type ConventionTerms,
  canSignConvention,
  canTerminateConvention,
  isConventionValidOn,
} from './convention.js';

const signed: ConventionTerms = {
  status: 'signed',
  startsOn: '2025-01-01',
  endsOn: '2025-12-31',
  signedOn: '2024-12-15',
  terminatedOn: null,
  certificationIds: ['cert-a'],
};

describe('convention in force', () => {
  it('is in force within its period, for the certifications it covers', () => {
    expect(isConventionValidOn(signed, 'cert-a', '2025-01-01')).toBe(true);
    expect(isConventionValidOn(signed, 'cert-a', '2025-12-31')).toBe(true);
    expect(isConventionValidOn(signed, 'cert-b', '2025-06-01')).toBe(false);
    expect(isConventionValidOn(signed, 'cert-a', '2024-12-31')).toBe(false);
    expect(isConventionValidOn(signed, 'cert-a', '2026-01-01')).toBe(false);
  });

  it('is not in force unsigned, or before its signature', () => {
    expect(isConventionValidOn({ ...signed, status: 'draft', signedOn: null }, 'cert-a', '2025-06-01')).toBe(
      false,
    );
    expect(isConventionValidOn({ ...signed, status: 'sent', signedOn: null }, 'cert-a', '2025-06-01')).toBe(
      false,
    );
    expect(isConventionValidOn({ ...signed, signedOn: '2025-03-01' }, 'cert-a', '2025-02-28')).toBe(false);
    expect(isConventionValidOn({ ...signed, signedOn: '2025-03-01' }, 'cert-a', '2025-03-01')).toBe(true);
  });

  it('stays in force until the day its termination takes effect', () => {
    const terminated = { ...signed, status: 'terminated' as const, terminatedOn: '2025-07-01' };
    expect(isConventionValidOn(terminated, 'cert-a', '2025-06-30')).toBe(true);
    expect(isConventionValidOn(terminated, 'cert-a', '2025-07-01')).toBe(false);
  });

  it('is signed from draft or sent, terminated unless already ended', () => {
    expect(
      ['draft', 'sent', 'signed', 'expired', 'terminated'].filter((s) => canSignConvention(s as never)),
    ).toEqual(['draft', 'sent']);
    expect(
      ['draft', 'sent', 'signed', 'expired', 'terminated'].filter((s) => canTerminateConvention(s as never)),
    ).toEqual(['draft', 'sent', 'signed']);
  });
});
