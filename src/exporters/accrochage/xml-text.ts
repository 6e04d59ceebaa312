/** The accrochage namespace (unchanged across the CDC's versions) and the conventional prefix. */
export const ACCROCHAGE_NAMESPACE = 'urn:cdc:cpf:pc5:schema:1.0.0';
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

const SPECIAL = /[&<>"]/;
const SPECIAL_GLOBAL = /[&<>"]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Escapes a value for XML text content or a double-quoted attribute. `>` is escaped too, so a value holding
 * `]]>` cannot end anything. Values are checked for characters XML 1.0 cannot carry before they get here
 * (holder-record schema), so this only has to take care of markup.
 */
export function escapeXml(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL_GLOBAL, (c) => ENTITY[c]!) : value;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The flux's `horodatage`: local time in `timeZone` with its offset, seconds and no fraction, as the XSD's
 * pattern wants (`2026-03-02T10:15:00+01:00`; `Z` and milliseconds are refused by it).
 *
 * @example formatFluxTimestamp(new Date('2026-03-02T09:15:00Z')) // '2026-03-02T10:15:00+01:00'
 */
export function formatFluxTimestamp(date: Date, timeZone = 'Europe/Paris'): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, format);
  }
  const part: Record<string, string> = {};
  for (const p of format.formatToParts(date)) part[p.type] = p.value;
  // longOffset reads `GMT+01:00`, or just `GMT` at offset zero.
  const offset = part.timeZoneName === 'GMT' ? '+00:00' : part.timeZoneName!.slice(3);
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}${offset}`;
}
