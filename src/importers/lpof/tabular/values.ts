import {
  compactIdentifier,
  ndaError,
  normaliseCertificationCode,
  siretError,
} from '../../../core/validators/identifiers.js';

/**
 * Pure normalisers of the values public lists hold: CSV strings, or JSON strings, numbers and booleans.
 * Each returns `{ ok: true, value }` (null for an empty value) or `{ ok: false, message }`, so the importer
 * decides whether a bad value rejects the row or only drops the value with a warning.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** Empty cells, JSON nulls, and the `NULL` some exports write for them. */
export function isBlank(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  if (typeof raw !== 'string') return false;
  const t = raw.trim();
  return t === '' || t === 'NULL';
}

/** A single value as text, trimmed; null when blank; refused when longer than `max` or not a scalar. */
export function cleanText(raw: unknown, max: number): Parsed<string | null> {
  if (isBlank(raw)) return ok(null);
  if (typeof raw === 'number' || typeof raw === 'boolean') return ok(String(raw));
  if (typeof raw !== 'string') return bad('expected a text value');
  const text = raw.trim();
  if (text.length > max) return bad(`longer than ${max} characters`);
  return ok(text);
}

/** Spreadsheets turn long digit strings into numbers: `9.99999998000190E+13` or `99999999800019.0`. */
const SPREADSHEET_NUMBER = /^\d+(?:[.,]\d+)?e\+?\d+$/i;

/**
 * Digits of an identifier, compacted (spaces, dots, TABs, NBSP and dashes removed). A JSON number lost
 * its leading zeros: they are put back up to `length`. Text is never padded: a short text value is
 * refused rather than guessed.
 */
export function cleanDigits(raw: unknown, length: number): Parsed<string | null> {
  if (isBlank(raw)) return ok(null);
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) return bad('not an identifier');
    return ok(String(raw).padStart(length, '0'));
  }
  if (typeof raw !== 'string') return bad('expected digits');
  const text = raw.trim();
  if (SPREADSHEET_NUMBER.test(text)) {
    return bad(`${text} was turned into a number by a spreadsheet: digits were lost`);
  }
  return ok(compactIdentifier(text));
}

/** A SIRET: compacted, then 14 digits and the Luhn checksum (La Poste exception included). */
export function cleanSiret(raw: unknown): Parsed<string | null> {
  const digits = cleanDigits(raw, 14);
  if (!digits.ok || digits.value === null) return digits;
  const problem = siretError(digits.value);
  return problem ? bad(`${problem}: ${digits.value}`) : digits;
}

/** An NDA: compacted, then exactly 11 digits. */
export function cleanNda(raw: unknown): Parsed<string | null> {
  const digits = cleanDigits(raw, 11);
  if (!digits.ok || digits.value === null) return digits;
  const problem = ndaError(digits.value);
  return problem ? bad(`${problem}: ${digits.value}`) : digits;
}

const TRUE = new Set(['true', 'vrai', 'oui', 'yes', '1', 'o', 'y']);
const FALSE = new Set(['false', 'faux', 'non', 'no', '0', 'n']);

/** `true`/`false` (and their French, numeric and JSON forms); null when blank. */
export function parseBoolean(raw: unknown): Parsed<boolean | null> {
  if (isBlank(raw)) return ok(null);
  if (typeof raw === 'boolean') return ok(raw);
  if (raw === 1 || raw === 0) return ok(raw === 1);
  if (typeof raw !== 'string') return bad('expected true or false');
  const t = raw.trim().toLowerCase();
  if (TRUE.has(t)) return ok(true);
  if (FALSE.has(t)) return ok(false);
  return bad(`expected true or false, found ${raw.trim()}`);
}

/**
 * A date as `JJ/MM/AAAA` (the LPOF), `AAAA-MM-JJ` or an ISO date-time (the catalogue), returned as
 * `AAAA-MM-JJ`; refused when the day does not exist.
 */
export function parseDate(raw: unknown): Parsed<string | null> {
  if (isBlank(raw)) return ok(null);
  if (typeof raw !== 'string') return bad('expected a date');
  const t = raw.trim();
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  const parts = fr ? [fr[3], fr[2], fr[1]] : iso ? [iso[1], iso[2], iso[3]] : null;
  if (!parts) return bad(`expected a date as JJ/MM/AAAA or AAAA-MM-JJ, found ${t}`);
  const [y, m, d] = parts as [string, string, string];
  const value = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(value)) {
    return bad(`${t} is not a calendar date`);
  }
  return ok(value);
}

/** Thousands separators people and spreadsheets put in numbers: spaces, NBSP, narrow NBSP, apostrophe. */
const GROUPING = /[\s\u00a0\u202f']/g;

/**
 * A decimal number as files write it: `1234.5`, `1 234,5` (French), `1.234,50`, `1,234.50`; null when
 * blank. With both `.` and `,` the last one is the decimal mark; a lone `,` is the French decimal mark;
 * several `.` (or `,`) are thousands groups.
 */
export function parseDecimal(raw: unknown): Parsed<number | null> {
  if (isBlank(raw)) return ok(null);
  if (typeof raw === 'number') return Number.isFinite(raw) ? ok(raw) : bad('not a finite number');
  if (typeof raw !== 'string') return bad('expected a number');
  let t = raw.replace(GROUPING, '');
  const lastDot = t.lastIndexOf('.');
  const lastComma = t.lastIndexOf(',');
  if (lastDot !== -1 && lastComma !== -1) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    t = t.split(group).join('');
    if (decimal === ',') t = t.replace(',', '.');
  } else if (lastComma !== -1) {
    t = countOf(t, ',') > 1 ? t.split(',').join('') : t.replace(',', '.');
  } else if (countOf(t, '.') > 1) {
    t = t.split('.').join('');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return bad(`not a number: ${raw.trim()}`);
  return ok(Number(t));
}

function countOf(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** A count (people, sessions): a whole number ≥ 0; `12.0` accepted, `12.5` refused. */
export function parseCount(raw: unknown): Parsed<number | null> {
  const n = parseDecimal(raw);
  if (!n.ok || n.value === null) return n;
  if (!Number.isInteger(n.value) || n.value < 0)
    return bad(`expected a whole number ≥ 0, found ${String(raw)}`);
  if (n.value > Number.MAX_SAFE_INTEGER) return bad('too large');
  return n;
}

/** A quantity ≥ 0 that may have decimals (hours). */
export function parseQuantity(raw: unknown): Parsed<number | null> {
  const n = parseDecimal(raw);
  if (!n.ok || n.value === null) return n;
  return n.value < 0 ? bad(`expected a number ≥ 0, found ${String(raw)}`) : n;
}

/**
 * A price in euros: `1 234,50 €`, `1234.5`, `6900`, `EUR 120`, `99,90 € TTC`; rounded to the cent;
 * negative prices are refused.
 */
export function parseEuroAmount(raw: unknown): Parsed<number | null> {
  let value = raw;
  if (typeof raw === 'string') value = raw.replace(/€|\beur(?:os?)?\b|\bttc\b/gi, '');
  const n = parseDecimal(value);
  if (!n.ok) return bad(`not a price: ${String(raw).trim()}`);
  if (n.value === null) return n;
  if (n.value < 0) return bad(`a price cannot be negative: ${String(raw).trim()}`);
  return ok(Math.round(n.value * 100) / 100);
}

/** A French postal code; a 4-digit value lost its leading zero (Ain, Aisne…) and gets it back. */
export function cleanPostalCode(raw: unknown): Parsed<string | null> {
  if (isBlank(raw)) return ok(null);
  const t = String(raw).trim().toUpperCase().replace(/\s/g, '');
  const padded = /^\d{4}$/.test(t) ? `0${t}` : t;
  return /^(\d{5}|2[AB]\d{3})$/.test(padded) ? ok(padded) : bad(`not a French postal code: ${t}`);
}

/**
 * A numeric code of `minWidth` to `maxWidth` digits (`11` region, `01` or `971` département) whose leading
 * zero a number type dropped; `extra` admits other forms (`2A`, `2B`).
 */
export function cleanPaddedCode(
  raw: unknown,
  minWidth: number,
  maxWidth: number,
  extra?: RegExp,
): Parsed<string | null> {
  if (isBlank(raw)) return ok(null);
  const t = String(raw).trim().toUpperCase();
  if (extra?.test(t)) return ok(t);
  if (!/^\d+$/.test(t) || t.length > maxWidth) return bad(`not a code: ${t}`);
  return ok(t.padStart(minWidth, '0'));
}

/**
 * A certification number as the catalogue writes it (digits only, `-1` or `0` for none) or as people
 * write it (`RNCP37674`, `rs 5000`), with the register the column implies for bare digits.
 */
export function cleanCertificationNumber(raw: unknown, register: 'RNCP' | 'RS'): Parsed<string | null> {
  if (isBlank(raw)) return ok(null);
  const t = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
  if (t === null) return bad('expected a certification code');
  if (t === '-1' || /^0+$/.test(t)) return ok(null);
  const code = normaliseCertificationCode(t.replace(/\.0+$/, ''), register);
  return code ? ok(code) : bad(`not an RNCP or RS code: ${t}`);
}
