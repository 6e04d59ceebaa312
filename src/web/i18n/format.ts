/** Dates and numbers in the UI's language; the API speaks ISO 8601. */
const localeOf = (language: string) => (language === 'en' ? 'en-GB' : 'fr-FR');

export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return '';
  // A bare calendar date (YYYY-MM-DD) is a day, not an instant: format it in UTC so it never shifts.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(localeOf(language), {
    dateStyle: 'medium',
    ...(value.length === 10 ? { timeZone: 'UTC' } : {}),
  }).format(date);
}

export function formatDateTime(value: string | null | undefined, language: string): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
}

export const formatNumber = (value: number, language: string): string =>
  new Intl.NumberFormat(localeOf(language)).format(value);

/** `732829320` → `732 829 320`. */
export function formatSiren(siren: string): string {
  return /^\d{9}$/.test(siren) ? `${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)}` : siren;
}

/** `73282932000074` → `732 829 320 00074` (SIREN in threes, then the establishment number). */
export function formatSiret(siret: string): string {
  if (!/^\d{14}$/.test(siret)) return siret;
  return `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`;
}
