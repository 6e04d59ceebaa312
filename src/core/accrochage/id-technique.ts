/**
 * The `idTechnique` of a passage: the certifier's own identifier of what it sends, which the CDC keeps per
 * depositor (a second passage with an id it already holds is refused as « existe déjà en base ») and which
 * comes back in the processing report to say which passage was accepted or rejected.
 *
 * Shape: `<certificate number>-<certificate id>`, e.g. `2026-000123-6f1c2b9e-4d3a-4e8b-9c1d-2a3b4c5d6e7f`.
 * - Stable: both parts are fixed when the certificate is issued and never change, so a passage re-sent after
 *   a rejection carries the same id, and a report can always be matched back.
 * - Unique: the certificate's UUID alone is; it also guards against a number met again (an instance
 *   re-installed and numbering from 1, ids of a tool used before Habilis).
 * - Readable: the number first, so staff reading the CDC portal or a report see which certificate it is.
 * - Fits the XSD: `idTechnique` is a string of 1 to 255 characters; this is 38 to 101 characters of
 *   ASCII letters, digits, dots, dashes and underscores, so no escaping, no whitespace to be trimmed or
 *   collapsed by anyone on the way, and no ambiguity between bytes and characters.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NUMBER = /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/;
const ID_TECHNIQUE =
  /^([0-9A-Za-z][0-9A-Za-z._-]{0,63})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export interface CertificateIdentity {
  /** The certificate's UUID. */
  id: string;
  /** The certificate's number (`2026-000123`). */
  number: string;
}

/**
 * The idTechnique of a certificate's passage. Pure and deterministic: the same certificate always gives the
 * same id. Throws a RangeError for an id or number the shape cannot carry (the holder-record schema refuses
 * them first, so the writer never meets one).
 *
 * @example accrochageIdTechnique({ id: '6f1c2b9e-4d3a-4e8b-9c1d-2a3b4c5d6e7f', number: '2026-000123' })
 * // '2026-000123-6f1c2b9e-4d3a-4e8b-9c1d-2a3b4c5d6e7f'
 */
export function accrochageIdTechnique(certificate: CertificateIdentity): string {
  const id = certificate.id.toLowerCase();
  if (!UUID.test(id)) throw new RangeError(`not a certificate UUID: ${certificate.id}`);
  if (!NUMBER.test(certificate.number))
    throw new RangeError(`not a certificate number: ${certificate.number}`);
  return `${certificate.number}-${id}`;
}

/**
 * Reads an idTechnique back into the certificate it names, as a processing report gives it; undefined when
 * it is not one Habilis made (a passage sent by another tool).
 */
export function parseAccrochageIdTechnique(idTechnique: string): CertificateIdentity | undefined {
  const m = ID_TECHNIQUE.exec(idTechnique.trim());
  if (!m) return undefined;
  return { number: m[1]!, id: m[2]! };
}
