/**
 * Validators of the French identifiers Habilis keys its data on. Pure functions: each returns `null` when
 * the value is valid, or a short English reason when it is not, so the caller can name the field.
 */

/** Luhn checksum over a string of digits. */
export function luhnIsValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** SIREN of La Poste: its establishments' SIRETs do not satisfy Luhn; INSEE uses a digit sum mod 5. */
export const LA_POSTE_SIREN = '356000000';

/** Removes the spaces, dots, tabs and non-breaking spaces people and exports put in identifiers. */
export function compactIdentifier(value: string): string {
  return value.replace(/[\s.\u00a0\u202f-]/g, '');
}

export function sirenError(value: string): string | null {
  if (!/^\d{9}$/.test(value)) return 'a SIREN has exactly 9 digits';
  if (!luhnIsValid(value)) return 'invalid SIREN (Luhn checksum)';
  return null;
}

export function siretError(value: string): string | null {
  if (!/^\d{14}$/.test(value)) return 'a SIRET has exactly 14 digits';
  if (luhnIsValid(value)) return null;
  if (value.startsWith(LA_POSTE_SIREN)) {
    // La Poste: every establishment shares one SIREN, so INSEE cannot keep Luhn valid for all of them;
    // its establishments are valid when the sum of the 14 digits is a multiple of 5.
    let sum = 0;
    for (const ch of value) sum += ch.charCodeAt(0) - 48;
    return sum % 5 === 0 ? null : 'invalid SIRET (La Poste digit sum)';
  }
  return 'invalid SIRET (Luhn checksum)';
}

export const isValidSiret = (value: string): boolean => siretError(value) === null;
export const isValidSiren = (value: string): boolean => sirenError(value) === null;

/** The SIREN of an establishment: the first 9 digits of its SIRET. */
export const sirenOf = (siret: string): string => siret.slice(0, 9);

/**
 * NDA (numéro de déclaration d'activité): 11 digits issued by the DREETS. Its inner layout (region,
 * département) varies for overseas and Corsica and has no known check digit, so only the shape is checked.
 */
export function ndaError(value: string): string | null {
  if (!/^\d{11}$/.test(value)) return 'an NDA has exactly 11 digits';
  return null;
}

/** `RNCP12345` or `RS1234`: a fiche code. The number is 1 to 6 digits, no leading zero. */
export function certificationCodeError(value: string): string | null {
  if (!/^(RNCP|RS)[1-9]\d{0,5}$/.test(value))
    return 'a certification code is RNCP or RS followed by its number';
  return null;
}

/** `RNCP12345BC01`: the fiche code, `BC`, and a two-digit (or more) block number. */
export function skillBlockCodeError(value: string): string | null {
  if (!/^(RNCP|RS)[1-9]\d{0,5}BC\d{2,3}$/.test(value))
    return 'a skill block code is the fiche code, BC, and its number';
  return null;
}

/**
 * Normalises user or catalogue input (`rncp 35419`, `RNCP-35419`, `RNCP035419`, bare `35419`) to `RNCP35419`.
 * Bare digits are ambiguous (RNCP and RS share the number space): the caller says which register they are.
 * Returns null when the value is no certification code at all.
 */
export function normaliseCertificationCode(
  value: string,
  defaultRegister: 'RNCP' | 'RS' = 'RNCP',
): string | null {
  const m = /^\s*(RNCP|RS)?[\s_-]*0*([1-9]\d{0,5})\s*$/i.exec(value);
  if (!m) return null;
  const register = (m[1] ?? defaultRegister).toUpperCase();
  return `${register}${m[2]}`;
}
