/**
 * Normalisers of the values France Compétences publishes in its RNCP / RS exports (XML and CSV bundle).
 * Pure functions: each takes the raw text of one element or cell and returns the value Habilis keeps, or
 * `null` when the raw value is empty. Those that can meet a malformed value return a `Parsed` result so the
 * importer can name the problem in its list of rejects instead of guessing.
 */

/** A normalised value, or the reason the raw text could not be read. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Trims, and turns an empty or whitespace-only value into null. */
export function emptyToNull(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const trimmed = raw.trim();
  return trimmed === '' ? null : trimmed;
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * A French date `JJ/MM/AAAA` (as the exports write every date) to ISO `AAAA-MM-JJ`. An ISO date is accepted
 * as it is (some re-serialised extracts use it). Empty → null; anything else, or a day that does not exist
 * (31/02/2024), is an error.
 *
 * @example parseFrenchDate('23/07/2021') // { ok: true, value: '2021-07-23' }
 */
export function parseFrenchDate(raw: string | null | undefined): Parsed<string | null> {
  const value = emptyToNull(raw);
  if (value === null) return ok(null);
  let day: number;
  let month: number;
  let year: number;
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = french ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (french) {
    day = Number(french[1]);
    month = Number(french[2]);
    year = Number(french[3]);
  } else if (iso) {
    year = Number(iso[1]);
    month = Number(iso[2]);
    day = Number(iso[3]);
  } else {
    return fail(`"${value}" is not a date (expected DD/MM/YYYY)`);
  }
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return fail(`"${value}" is not a calendar date`);
  return ok(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

/**
 * `Oui` / `Non` (any case, with or without spaces) to a boolean; empty → null. The CSV bundle's
 * `ACTIVE` / `INACTIVE` (its `Actif` column) and the states `Actif` / `Inactif` are read too.
 *
 * @example parseOuiNon('Oui') // { ok: true, value: true }
 */
export function parseOuiNon(raw: string | null | undefined): Parsed<boolean | null> {
  const value = emptyToNull(raw);
  if (value === null) return ok(null);
  switch (value.toLowerCase()) {
    case 'oui':
    case 'active':
    case 'actif':
    case 'true':
      return ok(true);
    case 'non':
    case 'inactive':
    case 'inactif':
    case 'false':
      return ok(false);
    default:
      return fail(`"${value}" is not Oui or Non`);
  }
}

/**
 * A SIRET as exported: the CSV bundle puts a TAB before it inside the quotes, people put spaces, dots or
 * non-breaking spaces in it. Returns the 14 digits, null when empty, or an error when what is left is not 14
 * digits. The Luhn checksum is not enforced here: the registry's value is kept as published.
 *
 * @example cleanSiret('\t11004301500012') // { ok: true, value: '11004301500012' }
 */
export function cleanSiret(raw: string | null | undefined): Parsed<string | null> {
  if (raw === null || raw === undefined) return ok(null);
  const compact = raw.replace(/[\s.\u00a0\u202f-]/g, '');
  if (compact === '') return ok(null);
  if (!/^\d{14}$/.test(compact)) return fail(`"${raw.trim()}" is not a SIRET (14 digits)`);
  return ok(compact);
}

/**
 * A fiche code as the exports and people write it (`RNCP35419`, `rncp 35419`, `RNCP-035419`, `RS5000`) to
 * its canonical form, or null when it is none. Unlike user input, a bare number is refused: the register
 * cannot be known.
 *
 * @example normaliseFicheCode(' rncp 035419 ') // 'RNCP35419'
 */
export function normaliseFicheCode(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const m = /^\s*(RNCP|RS)[\s_-]*0*([1-9]\d{0,5})\s*$/i.exec(raw);
  return m ? `${m[1]!.toUpperCase()}${m[2]}` : null;
}

/**
 * A skill block code in the context of its fiche. Real exports hold `RNCP35419BC01`, but also unprefixed
 * codes (`01`, `1`) and single-digit numbers; all become `<fiche>BC<nn>` (two digits at least), the form the
 * rest of Habilis keys blocks on. A code that names another fiche's block, or is not a block code, is null.
 *
 * @example normaliseSkillBlockCode('01', 'RNCP40505') // 'RNCP40505BC01'
 */
export function normaliseSkillBlockCode(raw: string | null | undefined, ficheCode: string): string | null {
  if (raw === null || raw === undefined) return null;
  const m = /^\s*(?:((?:RNCP|RS)\s*0*[1-9]\d{0,5})\s*BC\s*)?(\d{1,3})\s*$/i.exec(raw);
  if (!m) return null;
  if (m[1] !== undefined && normaliseFicheCode(m[1]) !== ficheCode) return null;
  const n = Number(m[2]);
  if (n === 0) return null;
  return `${ficheCode}BC${String(n).padStart(2, '0')}`;
}

/**
 * The level of the European nomenclature: `NIV3`…`NIV8` → 3…8. Other published values (`REPRISE`, `AUCUN`,
 * empty) mean "no level" → null.
 */
export function parseLevel(raw: string | null | undefined): number | null {
  const value = emptyToNull(raw);
  if (value === null) return null;
  const m = /^NIV\s*([1-8])$/i.exec(value);
  return m ? Number(m[1]) : null;
}

/** A whole number (years, counts, rates) as published; empty → null, anything else is an error. */
export function parseInteger(raw: string | null | undefined): Parsed<number | null> {
  const value = emptyToNull(raw);
  if (value === null) return ok(null);
  // Rates are sometimes written with a decimal comma; the exports round them, and so does Habilis.
  if (/^-?\d+([.,]\d+)?$/.test(value)) return ok(Math.round(Number(value.replace(',', '.'))));
  return fail(`"${value}" is not a number`);
}

const htmlBreak = /<\s*(br|\/p|\/div|\/h\d)\s*\/?\s*>/gi;
const htmlItem = /<\s*li[^>]*>/gi;
const htmlTag = /<\/?[a-z][a-z0-9]*(\s[^<>]*)?\/?>/gi;

/**
 * A text field of a fiche: trimmed, empty → null, residual HTML of older exports turned into plain text
 * (`<br>` and closing blocks → line break, `<li>` → bullet, other tags dropped), and the doubled apostrophes
 * the CSV bundle leaks from its SQL (`d''affaires`) made single. Cheap when there is nothing to do.
 *
 * @example cleanText('Management et ingénierie d\'\'affaires') // "Management et ingénierie d'affaires"
 */
export function cleanText(raw: string | null | undefined): string | null {
  let value = emptyToNull(raw);
  if (value === null) return null;
  if (value.includes('<')) {
    value = value.replace(htmlBreak, '\n').replace(htmlItem, '\n- ').replace(htmlTag, '');
    value = value.replace(/\n{3,}/g, '\n\n').trim();
    if (value === '') return null;
  }
  if (value.includes("''")) value = value.replace(/''/g, "'");
  return value;
}

/** The states France Compétences gives a partner's habilitation; only `Actif` makes it effective. */
export const habilitationTypes = [
  'HABILITATION_FORMER',
  'HABILITATION_ORGANISER',
  'HABILITATION_ORGA_FORM',
] as const;
export type HabilitationType = (typeof habilitationTypes)[number];

/** `HABILITATION_ORGA_FORM` (any case, spaces tolerated) → the type, or null when it is not one. */
export function parseHabilitationType(raw: string | null | undefined): HabilitationType | null {
  const value = emptyToNull(raw)?.toUpperCase().replace(/\s+/g, '_');
  return (habilitationTypes as readonly string[]).includes(value ?? '') ? (value as HabilitationType) : null;
}

/** `Actif` / `Inactif` / `Supprimé` as published, with the case and accents of the exports. */
export function normaliseState(raw: string | null | undefined): string | null {
  const value = emptyToNull(raw);
  if (value === null) return null;
  const folded = value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  if (folded === 'actif') return 'Actif';
  if (folded === 'inactif') return 'Inactif';
  if (folded === 'supprime') return 'Supprimé';
  return value;
}
