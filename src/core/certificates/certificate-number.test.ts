import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCertificateNumber,
  formatVerificationCode,
  nextCertificateNumber,
  normaliseVerificationCode,
  parseCertificateNumber,
} from './certificate-number.js';

describe('certificate numbers', () => {
  it('formats the year and a six-digit sequence, and reads it back', () => {
    expect(formatCertificateNumber(2026, 123)).toBe('2026-000123');
    expect(parseCertificateNumber('2026-000123')).toEqual({ year: 2026, sequence: 123 });
    expect(parseCertificateNumber('2026-123')).toBeUndefined();
  });

  it('follows the highest number of the same year, and starts again at 1 in a new year', () => {
    expect(nextCertificateNumber(2026, undefined)).toBe('2026-000001');
    expect(nextCertificateNumber(2026, '2026-000041')).toBe('2026-000042');
    expect(nextCertificateNumber(2027, '2026-000041')).toBe('2027-000001');
  });

  it('refuses a sequence the format cannot hold', () => {
    expect(() => nextCertificateNumber(2026, '2026-999999')).toThrow(RangeError);
    expect(() => formatCertificateNumber(2026, 0)).toThrow(RangeError);
  });
});

describe('verification codes', () => {
  it('are 20 Crockford base-32 characters in groups of four, from the bytes given', () => {
    const code = formatVerificationCode(new Uint8Array(13).fill(0xff));
    expect(code).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect(formatVerificationCode(new Uint8Array(13))).toBe('0000-0000-0000-0000-0000');
  });

  it('differ when the bytes differ, and read back the same whatever the typing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 13, maxLength: 13 }), (bytes) => {
        const code = formatVerificationCode(bytes);
        expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
        expect(normaliseVerificationCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
        expect(normaliseVerificationCode(code.replace(/-/g, ''))).toBe(code);
      }),
    );
    const a = formatVerificationCode(new Uint8Array(13));
    const b = formatVerificationCode(Uint8Array.from([...new Uint8Array(12), 0x10]));
    expect(a).not.toBe(b);
  });

  it('maps look-alike letters and leaves other formats alone', () => {
    expect(normaliseVerificationCode('o1il-0000-0000-0000-0000')).toBe('0111-0000-0000-0000-0000');
    expect(normaliseVerificationCode(' abcDEF_123-xyz ')).toBe('abcDEF_123-xyz');
  });

  it('need enough random bytes', () => {
    expect(() => formatVerificationCode(new Uint8Array(8))).toThrow(RangeError);
  });
});
