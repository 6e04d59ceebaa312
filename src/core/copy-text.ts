// PostgreSQL's COPY text format, as the registry's parse worker and the CPF import write it (one line
// per row, fields separated by TAB).

const special = /[\\\t\n\r]/;
const specials = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * A value as a field of COPY's text format: `\N` for null (and for a number that is not finite, as JSON
 * has null for it), `t`/`f` for booleans, the four special characters escaped.
 */
export function copyField(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '\\N';
  return special.test(value) ? value.replace(specials, (c) => escapes[c]!) : value;
}
