import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  certificationCodeError,
  compactIdentifier,
  luhnIsValid,
  ndaError,
  normaliseCertificationCode,
  sirenError,
  siretError,
  skillBlockCodeError,
} from './identifiers.js';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const withCheckDigit = (body: string) => {
  for (let d = 0; d <= 9; d++) if (luhnIsValid(body + d)) return body + d;
  throw new Error('unreachable');
};

describe('SIREN and SIRET', () => {
  it('accepts real identifiers', () => {
    expect(sirenError('732829320')).toBeNull(); // SIREN of a real company, valid Luhn
    expect(siretError('73282932000074')).toBeNull();
    expect(siretError('35600000000048')).toBeNull(); // La Poste head office passes Luhn
    expect(siretError('35600000049837')).toBeNull(); // a La Poste establishment: digit sum 50, Luhn fails
    expect(luhnIsValid('35600000049837')).toBe(false);
  });

  it('refuses wrong shapes and checksums with a reason', () => {
    expect(siretError('7328293200007')).toBe('a SIRET has exactly 14 digits');
    expect(siretError('7328293200007A')).toBe('a SIRET has exactly 14 digits');
    expect(siretError('73282932000075')).toBe('invalid SIRET (Luhn checksum)');
    expect(siretError('35600000049838')).toBe('invalid SIRET (La Poste digit sum)');
    expect(sirenError('732829321')).toBe('invalid SIREN (Luhn checksum)');
  });

  it('accepts every 14-digit string completed with its Luhn digit', () => {
    fc.assert(fc.property(digits(13), (body) => siretError(withCheckDigit(body)) === null));
  });

  it('refuses any single-digit change of a valid SIRET outside La Poste', () => {
    fc.assert(
      fc.property(
        digits(13),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 1, max: 9 }),
        (body, pos, delta) => {
          const valid = withCheckDigit(body);
          fc.pre(!valid.startsWith('356000000'));
          const changed = valid.slice(0, pos) + ((Number(valid[pos]) + delta) % 10) + valid.slice(pos + 1);
          return siretError(changed) !== null;
        },
      ),
    );
  });

  it('compacts the separators people and exports put in identifiers', () => {
    expect(compactIdentifier('\t732 829 320\u00a000074')).toBe('73282932000074');
    fc.assert(
      fc.property(digits(14), fc.array(fc.constantFrom(' ', '\t', '.', '\u00a0', '-')), (id, seps) => {
        const noisy = id
          .split('')
          .map((c, i) => c + (seps[i] ?? ''))
          .join('');
        return compactIdentifier(noisy) === id;
      }),
    );
  });
});

describe('NDA', () => {
  it('checks 11 digits', () => {
    expect(ndaError('11755205675')).toBeNull();
    expect(ndaError('1175520567')).toBe('an NDA has exactly 11 digits');
    fc.assert(fc.property(digits(11), (nda) => ndaError(nda) === null));
  });
});

describe('certification and skill block codes', () => {
  it('accepts RNCP and RS codes and their blocks', () => {
    expect(certificationCodeError('RNCP35419')).toBeNull();
    expect(certificationCodeError('RS7485')).toBeNull();
    expect(certificationCodeError('RNCP035419')).not.toBeNull();
    expect(certificationCodeError('rncp35419')).not.toBeNull();
    expect(skillBlockCodeError('RNCP35419BC01')).toBeNull();
    expect(skillBlockCodeError('RNCP35419BC1')).not.toBeNull();
  });

  it('normalises what users and catalogues write', () => {
    expect(normaliseCertificationCode('rncp 35419')).toBe('RNCP35419');
    expect(normaliseCertificationCode('RNCP-35419')).toBe('RNCP35419');
    expect(normaliseCertificationCode('035419')).toBe('RNCP35419');
    expect(normaliseCertificationCode('7485', 'RS')).toBe('RS7485');
    expect(normaliseCertificationCode('RNCP')).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.constantFrom('RNCP', 'RS' as const), (n, reg) => {
        const code = normaliseCertificationCode(` ${reg.toLowerCase()} ${n} `);
        return code === `${reg}${n}` && certificationCodeError(code) === null;
      }),
    );
  });
});
