import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnIsValid } from '../../../core/validators/identifiers.js';
import {
  cleanCertificationNumber,
  cleanNda,
  cleanPaddedCode,
  cleanPostalCode,
  cleanSiret,
  cleanText,
  parseBoolean,
  parseCount,
  parseDate,
  parseDecimal,
  parseEuroAmount,
} from './values.js';

/** Appends the digit that makes `body` pass Luhn: a valid SIRET from any 13 digits. */
function withLuhnDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnIsValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error('unreachable');
}

const validSiret = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 })
  .map((digits) => withLuhnDigit(digits.join('')));
const nda = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }).map((d) => d.join(''));
/** What people and exports put between digits. */
const noise = fc.constantFrom('', ' ', '.', '\t', '\u00a0', '\u202f', '-');

function sprinkle(digits: string, separators: string[]): string {
  return [...digits].map((d, i) => `${separators[i % separators.length] ?? ''}${d}`).join('');
}

describe('cleanSiret', () => {
  it('property: a valid SIRET written with spaces, dots, TABs or NBSP comes back compact', () => {
    fc.assert(
      fc.property(validSiret, fc.array(noise, { minLength: 1, maxLength: 14 }), (siret, separators) => {
        expect(cleanSiret(` ${sprinkle(siret, separators)} `)).toEqual({ ok: true, value: siret });
      }),
    );
  });

  it('property: a SIRET a JSON number lost its leading zeros for gets them back', () => {
    fc.assert(
      fc.property(validSiret, (siret) => {
        expect(cleanSiret(Number(siret))).toEqual({ ok: true, value: siret });
      }),
    );
  });

  it('property: changing one digit of a valid SIRET is refused (Luhn)', () => {
    fc.assert(
      fc.property(validSiret, fc.nat({ max: 13 }), fc.integer({ min: 1, max: 9 }), (siret, at, delta) => {
        fc.pre(!siret.startsWith('356000000'));
        const digit = (Number(siret[at]) + delta) % 10;
        const changed = `${siret.slice(0, at)}${digit}${siret.slice(at + 1)}`;
        expect(cleanSiret(changed).ok).toBe(false);
      }),
    );
  });

  it('refuses text that lost a digit rather than guessing, and says when a spreadsheet mangled it', () => {
    expect(cleanSiret('9999999800019')).toEqual({
      ok: false,
      message: 'a SIRET has exactly 14 digits: 9999999800019',
    });
    expect(cleanSiret('9.99999998000190E+13')).toMatchObject({ ok: false, message: /spreadsheet/ });
    expect(cleanSiret('')).toEqual({ ok: true, value: null });
    expect(cleanSiret('NULL')).toEqual({ ok: true, value: null });
  });

  it('accepts La Poste establishments by their digit sum', () => {
    expect(cleanSiret('35600000000048')).toEqual({ ok: true, value: '35600000000048' });
    expect(cleanSiret('35600000049837')).toEqual({ ok: true, value: '35600000049837' });
  });
});

describe('cleanNda', () => {
  it('property: an NDA written with separators, or as a number, comes back as its 11 digits', () => {
    fc.assert(
      fc.property(nda, fc.array(noise, { minLength: 1, maxLength: 11 }), (value, separators) => {
        expect(cleanNda(sprinkle(value, separators))).toEqual({ ok: true, value });
        expect(cleanNda(Number(value))).toEqual({ ok: true, value });
      }),
    );
  });

  it('refuses anything but 11 digits', () => {
    expect(cleanNda('1175999999')).toMatchObject({ ok: false });
    expect(cleanNda('11759999999X')).toMatchObject({ ok: false });
  });
});

describe('parseEuroAmount', () => {
  const cents = fc.integer({ min: 0, max: 99_999_999 });

  /** Writes cents the French way: `1 234,50 €`, with a space or NBSP as the thousands separator. */
  function french(amount: number, group: string, suffix: string): string {
    const euros = Math.floor(amount / 100)
      .toString()
      .replace(/\B(?=(\d{3})+(?!\d))/g, group);
    return `${euros},${String(amount % 100).padStart(2, '0')}${suffix}`;
  }

  it('property: a price written the French way reads back to the cent', () => {
    fc.assert(
      fc.property(
        cents,
        fc.constantFrom(' ', '\u00a0', '\u202f', '.', ''),
        fc.constantFrom(' €', '€', ' € TTC', '', ' EUR'),
        (amount, group, suffix) => {
          expect(parseEuroAmount(french(amount, group, suffix))).toEqual({ ok: true, value: amount / 100 });
        },
      ),
    );
  });

  it('property: a price written as a plain or English number reads back to the cent', () => {
    fc.assert(
      fc.property(cents, (amount) => {
        const euros = amount / 100;
        expect(parseEuroAmount(euros)).toEqual({ ok: true, value: euros });
        expect(parseEuroAmount(euros.toFixed(2))).toEqual({ ok: true, value: euros });
        expect(parseEuroAmount(euros.toLocaleString('en-US', { minimumFractionDigits: 2 }))).toEqual({
          ok: true,
          value: euros,
        });
      }),
    );
  });

  it('reads the brief’s example, rounds to the cent, and refuses negatives and words', () => {
    expect(parseEuroAmount('1 234,50 €')).toEqual({ ok: true, value: 1234.5 });
    expect(parseEuroAmount(7150.333)).toEqual({ ok: true, value: 7150.33 });
    expect(parseEuroAmount('-10')).toMatchObject({ ok: false, message: /negative/ });
    expect(parseEuroAmount('gratuit')).toMatchObject({ ok: false, message: 'not a price: gratuit' });
    expect(parseEuroAmount('')).toEqual({ ok: true, value: null });
  });
});

describe('parseDecimal and parseCount', () => {
  it('reads French and English decimals and thousands groups', () => {
    expect(parseDecimal('717,5')).toEqual({ ok: true, value: 717.5 });
    expect(parseDecimal('1.234,5')).toEqual({ ok: true, value: 1234.5 });
    expect(parseDecimal('1,234,567')).toEqual({ ok: true, value: 1234567 });
    expect(parseDecimal('12 a')).toMatchObject({ ok: false });
  });

  it('takes whole counts only', () => {
    expect(parseCount('120')).toEqual({ ok: true, value: 120 });
    expect(parseCount('12.0')).toEqual({ ok: true, value: 12 });
    expect(parseCount('1 200')).toEqual({ ok: true, value: 1200 });
    expect(parseCount('2.5')).toMatchObject({ ok: false });
    expect(parseCount('-1')).toMatchObject({ ok: false });
  });
});

describe('parseDate', () => {
  it('property: any calendar date reads the same as JJ/MM/AAAA, AAAA-MM-JJ or a date-time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString().slice(0, 10);
          const [y, m, d] = iso.split('-');
          expect(parseDate(`${d}/${m}/${y}`)).toEqual({ ok: true, value: iso });
          expect(parseDate(iso)).toEqual({ ok: true, value: iso });
          expect(parseDate(`${iso}T08:00:00+02:00`)).toEqual({ ok: true, value: iso });
        },
      ),
    );
  });

  it('refuses days that do not exist and other shapes', () => {
    expect(parseDate('31/02/2026')).toMatchObject({ ok: false, message: /not a calendar date/ });
    expect(parseDate('2026/03/01')).toMatchObject({ ok: false });
    expect(parseDate(' ')).toEqual({ ok: true, value: null });
  });
});

describe('cleanCertificationNumber', () => {
  const number = fc.integer({ min: 1, max: 999_999 });
  const register = fc.constantFrom('RNCP' as const, 'RS' as const);

  it('property: bare digits get the prefix of their column; prefixed codes keep theirs', () => {
    fc.assert(
      fc.property(
        number,
        register,
        register,
        fc.constantFrom('', ' ', '-', '_'),
        (n, column, written, sep) => {
          expect(cleanCertificationNumber(String(n), column)).toEqual({ ok: true, value: `${column}${n}` });
          expect(cleanCertificationNumber(n, column)).toEqual({ ok: true, value: `${column}${n}` });
          const typed = `${written.toLowerCase()}${sep}${n}`;
          expect(cleanCertificationNumber(typed, column)).toEqual({ ok: true, value: `${written}${n}` });
        },
      ),
    );
  });

  it('treats -1 and 0 as no code, and refuses anything else', () => {
    expect(cleanCertificationNumber('-1', 'RNCP')).toEqual({ ok: true, value: null });
    expect(cleanCertificationNumber(0, 'RS')).toEqual({ ok: true, value: null });
    expect(cleanCertificationNumber('37674.0', 'RNCP')).toEqual({ ok: true, value: 'RNCP37674' });
    expect(cleanCertificationNumber('CQP123', 'RNCP')).toMatchObject({ ok: false });
  });
});

describe('the other small normalisers', () => {
  it('reads booleans in their usual spellings and refuses others', () => {
    expect(parseBoolean('true')).toEqual({ ok: true, value: true });
    expect(parseBoolean('FALSE')).toEqual({ ok: true, value: false });
    expect(parseBoolean('oui')).toEqual({ ok: true, value: true });
    expect(parseBoolean(false)).toEqual({ ok: true, value: false });
    expect(parseBoolean('')).toEqual({ ok: true, value: null });
    expect(parseBoolean('peut-être')).toMatchObject({ ok: false });
  });

  it('puts back a postal code’s and a region code’s lost leading zero', () => {
    expect(cleanPostalCode(1000)).toEqual({ ok: true, value: '01000' });
    expect(cleanPostalCode('2a004')).toEqual({ ok: true, value: '2A004' });
    expect(cleanPostalCode('750')).toMatchObject({ ok: false });
    expect(cleanPaddedCode(1, 2, 2)).toEqual({ ok: true, value: '01' });
    expect(cleanPaddedCode('971', 2, 3)).toEqual({ ok: true, value: '971' });
    expect(cleanPaddedCode('2B', 2, 3, /^2[AB]$/)).toEqual({ ok: true, value: '2B' });
    expect(cleanPaddedCode('123', 2, 2)).toMatchObject({ ok: false });
  });

  it('trims text, and refuses text longer than its field', () => {
    expect(cleanText('  PARIS  ', 10)).toEqual({ ok: true, value: 'PARIS' });
    expect(cleanText('x'.repeat(11), 10)).toMatchObject({ ok: false });
    expect(cleanText({ a: 1 }, 10)).toMatchObject({ ok: false });
  });
});
