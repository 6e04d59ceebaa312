/**
 * Certificate numbers and verification codes. A number is the year of issue and a sequence within that year,
 * `2026-000123`: readable, sortable, and it shows how many were issued. A verification code is random (the
 * service draws the bytes), so that knowing one certificate tells nothing about another.
 */

export const CERTIFICATE_NUMBER_PATTERN = /^(\d{4})-(\d{6})$/;

/** The most certificates one year can number with six digits. */
export const MAX_CERTIFICATES_PER_YEAR = 999_999;

/**
 * `formatCertificateNumber(2026, 123) === '2026-000123'`. Throws past 999,999 in a year: the format
 * has six digits and a silently longer number would break sorting.
 */
export function formatCertificateNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`invalid year ${year}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_CERTIFICATES_PER_YEAR)
    throw new RangeError(`certificate sequence ${sequence} out of range for ${year}`);
  return `${year}-${String(sequence).padStart(6, '0')}`;
}

/** `'2026-000123'` → `{ year: 2026, sequence: 123 }`; undefined when it is not a certificate number. */
export function parseCertificateNumber(number: string): { year: number; sequence: number } | undefined {
  const m = CERTIFICATE_NUMBER_PATTERN.exec(number);
  if (!m) return undefined;
  return { year: Number(m[1]), sequence: Number(m[2]) };
}

/**
 * The number after the highest one issued in that year (or the first of the year). The caller holds a lock
 * so that two issues in the same year cannot read the same highest number.
 */
export function nextCertificateNumber(year: number, highestOfYear: string | null | undefined): string {
  const last = highestOfYear ? parseCertificateNumber(highestOfYear) : undefined;
  return formatCertificateNumber(year, last && last.year === year ? last.sequence + 1 : 1);
}

// Crockford's base 32: no I, L, O or U, so a code read aloud or typed from paper is not mistaken.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Bytes needed for a 20-character code: 100 bits of randomness, beyond guessing by trial. */
export const VERIFICATION_CODE_BYTES = 13;

/**
 * Turns random bytes (at least 13) into a verification code of 20 Crockford base-32 characters in groups of
 * four, `7K3M-Q9XD-…`. Pure: the randomness comes from the caller (crypto.randomBytes in the service).
 */
export function formatVerificationCode(bytes: Uint8Array): string {
  if (bytes.length < VERIFICATION_CODE_BYTES)
    throw new RangeError(`a verification code needs ${VERIFICATION_CODE_BYTES} random bytes`);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < 20) {
      out += CROCKFORD[(value >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/**
 * A code as someone typed it back: upper case, Crockford's look-alikes mapped (O→0, I/L→1), spaces
 * dropped. Codes in other formats (imported, demo) pass through unchanged but trimmed.
 */
export function normaliseVerificationCode(typed: string): string {
  const compact = typed.trim();
  if (!/^[0-9A-Za-z]{4}([- ]?[0-9A-Za-z]{4}){4}$/.test(compact)) return compact;
  const chars = compact.replace(/[- ]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  return chars.match(/.{4}/g)!.join('-');
}
