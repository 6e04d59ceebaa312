/** Small text helpers for the French descriptions of findings. */

/** `2026-11-23` → `23/11/2026`; other text unchanged. */
export function frenchDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** An instant as a French date, in the certifier's time zone. */
export function frenchDay(instant: Date | string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris' }).format(d);
}

/** `n` with the noun in the singular or the plural (`1 session`, `3 sessions`). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
