import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanSiret,
  cleanText,
  normaliseFicheCode,
  normaliseSkillBlockCode,
  normaliseState,
  parseFrenchDate,
  parseHabilitationType,
  parseInteger,
  parseLevel,
  parseOuiNon,
} from './normalise.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Any real calendar day between 1900 and 2200, as a UTC Date. */
const calendarDay = fc
  .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31) })
  .map((ms) => new Date(Math.floor(ms / 86_400_000) * 86_400_000));

describe('parseFrenchDate', () => {
  it('reads every calendar day written DD/MM/YYYY as its ISO date', () => {
    fc.assert(
      fc.property(calendarDay, (day) => {
        const iso = day.toISOString().slice(0, 10);
        const french = `${pad(day.getUTCDate(), 2)}/${pad(day.getUTCMonth() + 1, 2)}/${day.getUTCFullYear()}`;
        expect(parseFrenchDate(french)).toEqual({ ok: true, value: iso });
        // Surrounding blanks (the exports' layout) and an ISO date read the same.
        expect(parseFrenchDate(`  ${french}\n`)).toEqual({ ok: true, value: iso });
        expect(parseFrenchDate(iso)).toEqual({ ok: true, value: iso });
      }),
    );
  });

  it('refuses days that do not exist, whatever the month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
        expect(parseFrenchDate(`${pad(last + 1, 2)}/${pad(month, 2)}/${year}`).ok).toBe(false);
        expect(parseFrenchDate(`${pad(last, 2)}/${pad(month, 2)}/${year}`).ok).toBe(true);
      }),
    );
    expect(parseFrenchDate('00/01/2024').ok).toBe(false);
    expect(parseFrenchDate('15/13/2024').ok).toBe(false);
  });

  it('turns an empty value into null and refuses text that is no date', () => {
    expect(parseFrenchDate('')).toEqual({ ok: true, value: null });
    expect(parseFrenchDate('   ')).toEqual({ ok: true, value: null });
    expect(parseFrenchDate(null)).toEqual({ ok: true, value: null });
    expect(parseFrenchDate('2024/01/15')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a date'),
    });
    expect(parseFrenchDate('15 janvier 2024').ok).toBe(false);
  });
});

describe('parseOuiNon', () => {
  it('reads Oui/Non in any case and with blanks, and the CSV ACTIVE/INACTIVE', () => {
    const spelled = (word: string) =>
      fc
        .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
        .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
    fc.assert(
      fc.property(spelled('oui'), fc.constantFrom('', ' ', '\t', '\n'), (word, blank) => {
        expect(parseOuiNon(`${blank}${word}${blank}`)).toEqual({ ok: true, value: true });
      }),
    );
    fc.assert(
      fc.property(spelled('non'), (word) => {
        expect(parseOuiNon(word)).toEqual({ ok: true, value: false });
      }),
    );
    expect(parseOuiNon('ACTIVE')).toEqual({ ok: true, value: true });
    expect(parseOuiNon('INACTIVE')).toEqual({ ok: true, value: false });
    expect(parseOuiNon('')).toEqual({ ok: true, value: null });
  });

  it('refuses anything else', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const folded = s.trim().toLowerCase();
        fc.pre(
          !['', 'oui', 'non', 'active', 'inactive', 'actif', 'inactif', 'true', 'false'].includes(folded),
        );
        expect(parseOuiNon(s).ok).toBe(false);
      }),
    );
  });
});

describe('cleanSiret', () => {
  const fourteenDigits = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 })
    .map((d) => d.join(''));
  const separator = fc.constantFrom('', ' ', '\t', '.', '\u00a0', '\u202f', '-');

  it('keeps the 14 digits whatever TABs, spaces, dots or NBSPs surround or split them', () => {
    fc.assert(
      fc.property(fourteenDigits, fc.array(separator, { minLength: 16, maxLength: 16 }), (digits, seps) => {
        const messy = `${seps[0]}${[...digits].map((d, i) => `${d}${seps[i + 1]}`).join('')}${seps[15]}`;
        expect(cleanSiret(messy)).toEqual({ ok: true, value: digits });
      }),
    );
    // The CSV bundle's quirk, as it is in the real file.
    expect(cleanSiret('\t11004301500012')).toEqual({ ok: true, value: '11004301500012' });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = cleanSiret(s);
        if (once.ok && once.value !== null) expect(cleanSiret(once.value)).toEqual(once);
      }),
    );
  });

  it('refuses what is not 14 digits once cleaned, and gives null for nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 20 }), (digits) => {
        fc.pre(digits.length !== 14);
        expect(cleanSiret(digits.join('')).ok).toBe(false);
      }),
    );
    expect(cleanSiret('1100430150001A').ok).toBe(false);
    expect(cleanSiret(' \t ')).toEqual({ ok: true, value: null });
  });
});

describe('normaliseFicheCode', () => {
  const register = fc.constantFrom('RNCP', 'RS');
  const number = fc.integer({ min: 1, max: 999_999 });

  it('gives the canonical code whatever the case, separators and leading zeros', () => {
    fc.assert(
      fc.property(
        register,
        number,
        fc.boolean(),
        fc.constantFrom('', ' ', '-', '_', ' - '),
        fc.integer({ min: 0, max: 3 }),
        (reg, n, lower, sep, zeros) => {
          const written = `${lower ? reg.toLowerCase() : reg}${sep}${'0'.repeat(zeros)}${n}`;
          expect(normaliseFicheCode(written)).toBe(`${reg}${n}`);
        },
      ),
    );
  });

  it('is idempotent and refuses bare numbers and other prefixes', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = normaliseFicheCode(s);
        if (once !== null) expect(normaliseFicheCode(once)).toBe(once);
      }),
    );
    expect(normaliseFicheCode('35419')).toBeNull();
    expect(normaliseFicheCode('RNCP0')).toBeNull();
    expect(normaliseFicheCode('CQP1234')).toBeNull();
    expect(normaliseFicheCode('RNCP1234567')).toBeNull();
  });
});

describe('normaliseSkillBlockCode', () => {
  it('prefixes unprefixed codes with the fiche and pads the number to two digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 99_999 }), (n, fiche) => {
        const code = `RNCP${fiche}`;
        const expected = `${code}BC${pad(n, 2)}`;
        expect(normaliseSkillBlockCode(String(n), code)).toBe(expected);
        expect(normaliseSkillBlockCode(pad(n, 2), code)).toBe(expected);
        expect(normaliseSkillBlockCode(`${code}BC${pad(n, 2)}`, code)).toBe(expected);
        expect(normaliseSkillBlockCode(`rncp${fiche}bc${n}`, code)).toBe(expected);
      }),
    );
  });

  it('refuses a block of another fiche and what is no block code', () => {
    expect(normaliseSkillBlockCode('RNCP37507BC01', 'RNCP40344')).toBeNull();
    expect(normaliseSkillBlockCode('BC01', 'RNCP40344')).toBeNull();
    expect(normaliseSkillBlockCode('0', 'RNCP40344')).toBeNull();
    expect(normaliseSkillBlockCode('', 'RNCP40344')).toBeNull();
  });
});

describe('the other normalisers', () => {
  it('reads levels NIV1…NIV8 and gives null for the rest', () => {
    expect(parseLevel('NIV7')).toBe(7);
    expect(parseLevel(' niv 5 ')).toBe(5);
    expect(parseLevel('REPRISE')).toBeNull();
    expect(parseLevel('AUCUN')).toBeNull();
    expect(parseLevel('')).toBeNull();
  });

  it('reads whole numbers, rounding a decimal comma', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), (n) => {
        expect(parseInteger(String(n))).toEqual({ ok: true, value: n });
      }),
    );
    expect(parseInteger('95,6')).toEqual({ ok: true, value: 96 });
    expect(parseInteger('n/a').ok).toBe(false);
  });

  it('cleans texts: doubled apostrophes, residual HTML, blanks', () => {
    expect(cleanText("Management et ingénierie d''affaires")).toBe("Management et ingénierie d'affaires");
    expect(cleanText('<p>Un</p><ul><li>deux</li><li>trois</li></ul>')).toBe('Un\n\n- deux\n- trois');
    expect(cleanText('a<br/>b<BR>c')).toBe('a\nb\nc');
    expect(cleanText('   ')).toBeNull();
    expect(cleanText('<br>')).toBeNull();
    // A lone "<" is text, not a tag.
    expect(cleanText('taux < 50 %')).toBe('taux < 50 %');
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = cleanText(s);
        if (once !== null && !once.includes("'")) expect(cleanText(once)).toBe(once);
      }),
    );
  });

  it('reads habilitation types and states as published', () => {
    expect(parseHabilitationType('HABILITATION_ORGA_FORM')).toBe('HABILITATION_ORGA_FORM');
    expect(parseHabilitationType(' habilitation former ')).toBe('HABILITATION_FORMER');
    expect(parseHabilitationType('FORMER')).toBeNull();
    expect(normaliseState('ACTIF')).toBe('Actif');
    expect(normaliseState('supprime')).toBe('Supprimé');
    expect(normaliseState('Suspendu')).toBe('Suspendu');
  });
});
