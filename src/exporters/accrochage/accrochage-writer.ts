import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  checkHolderRecord,
  describeHolder,
  type LeftOutHolder,
} from '../../core/accrochage/holder-record.js';
import {
  type AccrochageHolderRecord,
  type AccrochageIssuerInput,
  accrochageIssuer,
  isXmlText,
} from '../../core/accrochage/holder-record.schema.js';
import { accrochageIdTechnique } from '../../core/accrochage/id-technique.js';
import { FRANCE_COUNTRY_CODE } from '../../core/candidates/candidate.schema.js';
import { validationFailed } from '../../core/errors.js';
import {
  cdcAccessRoute,
  cdcHonours,
  cdcInitiative,
  cdcLanguageLevel,
  cdcModality,
  cdcObtention,
  cdcVaeRoute,
} from './cdc-values.js';
import { ACCROCHAGE_NAMESPACE, escapeXml, formatFluxTimestamp, XSI_NAMESPACE } from './xml-text.js';

/** The CDC's limits for one deposited file (FAQ: 200,000 passages; older guide: 200 MB). */
export const MAX_PASSAGES_PER_FILE = 200_000;
export const MAX_BYTES_PER_FILE = 200 * 1000 * 1000;

export interface AccrochageWriteOptions {
  /** `idFlux`, 1 to 50 characters; a random UUID by default. */
  fluxId?: string;
  /** `horodatage`; now by default. */
  timestamp?: Date;
  /** The time zone the timestamp is written in (with its offset); Europe/Paris by default. */
  timeZone?: string;
  /** Passages per file; past it the export stops and the rest waits for the next file. */
  maxPassages?: number;
  /** Bytes per file, likewise. */
  maxBytes?: number;
}

export interface AccrochageWriteResult {
  fluxId: string;
  timestamp: string;
  /** Passages written. Zero: nothing was written at all (a flux needs at least one passage). */
  passages: number;
  /** Bytes written (UTF-8). */
  bytes: number;
  /** The `certification` groups in file order, with their number of passages. */
  certifications: { code: string; passages: number }[];
  /** The certificates written, in file order: the ones to mark as sent once the file is deposited. */
  sentCertificateIds: string[];
  /** The holders left out, each with every reason. */
  leftOut: LeftOutHolder[];
  /**
   * True when the file reached `maxPassages` or `maxBytes`: the export stopped there; the record that did
   * not fit is in `leftOut`, the ones after it were not read. Export again for the rest.
   */
  full: boolean;
}

// The flux is written one element per line, without indentation: line numbers stay meaningful in the
// validator's messages, and 100,000 passages stay well under the CDC's size limit (indentation alone would
// add about a quarter).
const NIL = ' xsi:nil="true"/>';

const el = (name: string, value: string): string => `<cpf:${name}>${escapeXml(value)}</cpf:${name}>\n`;
const optional = (name: string, value: string | null | undefined): string =>
  value === null || value === undefined ? '' : el(name, value);
const nillable = (name: string, value: string | null | undefined): string =>
  value === null || value === undefined ? `<cpf:${name}${NIL}\n` : el(name, value);

/** The `passageCertification` element of one valid record. */
function passageXml(r: AccrochageHolderRecord, idTechnique: string): string {
  const h = r.holder;
  const a = r.assessment;
  const [year, month, day] = h.birthDate.split('-') as [string, string, string];
  const bornAbroad = !h.birthPlaceCode;
  const inseeCode = bornAbroad ? h.birthCountryCode! : h.birthPlaceCode!;
  const countryCode = (h.birthCountryCode ?? FRANCE_COUNTRY_CODE).slice(2);
  const countryName = h.birthCountryName ?? (bornAbroad ? null : 'FRANCE');
  return (
    '<cpf:passageCertification>\n' +
    el('idTechnique', idTechnique) +
    optional('urlPreuve', r.proofUrl) +
    optional('libelleOption', r.optionTitle) +
    el('obtentionCertification', cdcObtention[r.obtainedBy]) +
    el('donneeCertifiee', 'true') +
    optional('dateDebutExamen', a?.startsOn) +
    optional('dateFinExamen', a?.endsOn) +
    optional('modalitePassageExamen', a?.modality ? cdcModality[a.modality] : null) +
    optional('codePostalCentreExamen', a?.centrePostalCode?.toUpperCase()) +
    el('dateDebutValidite', r.awardedOn) +
    nillable('dateFinValidite', r.expiresOn) +
    el('presenceNiveauLangueEuro', r.languageLevel ? 'true' : 'false') +
    optional('niveauLangueEuropeen', r.languageLevel ? cdcLanguageLevel[r.languageLevel] : null) +
    el('presenceNiveauNumeriqueEuro', 'false') +
    nillable('scoring', r.score) +
    nillable('mentionValidee', r.honours ? cdcHonours[r.honours] : null) +
    '<cpf:modalitesInscription>\n' +
    nillable('modaliteAcces', r.accessRoute ? cdcAccessRoute[r.accessRoute] : null) +
    optional('voieAccessVAE', r.vaeRoute ? cdcVaeRoute[r.vaeRoute] : null) +
    optional(
      'initiativeInscription',
      r.registration?.initiative ? cdcInitiative[r.registration.initiative] : null,
    ) +
    optional('dateInscription', r.registration?.registeredOn) +
    '</cpf:modalitesInscription>\n' +
    '<cpf:identificationTitulaire>\n<cpf:titulaire>\n' +
    el('nomNaissance', h.birthName) +
    nillable('nomUsage', h.usageName) +
    el('prenom1', h.firstNames[0]!) +
    optional('prenom2', h.firstNames[1]) +
    optional('prenom3', h.firstNames[2]) +
    el('anneeNaissance', year) +
    el('moisNaissance', String(Number(month))) +
    el('jourNaissance', String(Number(day))) +
    el('sexe', h.sex) +
    '<cpf:codeCommuneNaissance>\n<cpf:codeInseeNaissance>\n' +
    el('codeInsee', inseeCode) +
    '</cpf:codeInseeNaissance>\n</cpf:codeCommuneNaissance>\n' +
    optional('libelleCommuneNaissance', bornAbroad ? null : h.birthPlaceName) +
    el('codePaysNaissance', countryCode) +
    optional('libellePaysNaissance', countryName) +
    '</cpf:titulaire>\n</cpf:identificationTitulaire>\n</cpf:passageCertification>\n'
  );
}

const registerOf = (code: string): string => (code.startsWith('RNCP') ? 'RNCP' : 'RS');

const GROUP_END = '</cpf:passageCertifications>\n</cpf:certification>\n';
const FILE_END =
  '</cpf:certifications>\n</cpf:certificateur>\n</cpf:certificateurs>\n</cpf:emetteur>\n</cpf:flux>\n';
const FLUSH_AT = 64 * 1024;

/**
 * Writes an accrochage flux (CDC XSD 1.1.2) to `out`, record by record, without holding the document: memory
 * stays flat whatever the number of holders. Each record is first checked against the holder-record schema;
 * a record with a missing or wrong field is left out and listed with field-level reasons, the others are
 * written. Consecutive records of the same certification share one `certification` element: give the
 * records ordered by certification code for the most compact file (a code met again later opens another
 * group, which the schema allows). When no record is valid nothing is written (a flux needs at least one
 * passage) and `passages` is 0. `out` is ended when done, and destroyed if the records fail to arrive.
 * Throws AppError('validation_failed') when the issuer's identity is wrong.
 *
 * @example
 * const result = await writeAccrochageFlux(createWriteStream(path), issuer, holderRecords());
 * if (result.passages > 0) await validateAccrochageFile(path);
 */
export async function writeAccrochageFlux(
  out: Writable,
  issuerInput: AccrochageIssuerInput,
  records: AsyncIterable<unknown> | Iterable<unknown>,
  options: AccrochageWriteOptions = {},
): Promise<AccrochageWriteResult> {
  const issuerCheck = accrochageIssuer.safeParse(issuerInput);
  if (!issuerCheck.success)
    throw validationFailed(
      issuerCheck.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      `Accrochage issuer: ${issuerCheck.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  const issuer = issuerCheck.data;
  const fluxId = options.fluxId ?? randomUUID();
  if (fluxId.length < 1 || fluxId.length > 50 || !isXmlText(fluxId))
    throw validationFailed([{ field: 'fluxId', message: 'must be 1 to 50 plain characters' }]);
  const timestamp = formatFluxTimestamp(options.timestamp ?? new Date(), options.timeZone);
  const maxPassages = options.maxPassages ?? MAX_PASSAGES_PER_FILE;
  const maxBytes = options.maxBytes ?? MAX_BYTES_PER_FILE;
  const depositor = issuer.depositorClientId ?? issuer.clientId;
  const natureDeposant = depositor === issuer.clientId ? 'CERTIFICATEUR' : 'TIERS_CONFIANCE';

  const result: AccrochageWriteResult = {
    fluxId,
    timestamp,
    passages: 0,
    bytes: 0,
    certifications: [],
    sentCertificateIds: [],
    leftOut: [],
    full: false,
  };
  const written = new Set<string>();
  let pending = '';
  let group: { code: string; passages: number } | undefined;

  const flush = async (): Promise<void> => {
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    if (!out.write(chunk)) await once(out, 'drain');
  };

  const header =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<cpf:flux xmlns:cpf="${ACCROCHAGE_NAMESPACE}" xmlns:xsi="${XSI_NAMESPACE}">\n` +
    el('idFlux', fluxId) +
    el('horodatage', timestamp) +
    '<cpf:emetteur>\n' +
    el('idClient', depositor) +
    '<cpf:certificateurs>\n<cpf:certificateur>\n' +
    el('idClient', issuer.clientId) +
    el('idContrat', issuer.contractId) +
    '<cpf:certifications>\n';
  const closingBytes = Buffer.byteLength(GROUP_END) + Buffer.byteLength(FILE_END);

  try {
    let index = -1;
    for await (const input of records) {
      index++;
      const check = checkHolderRecord(input, index);
      if (!check.ok) {
        result.leftOut.push(check.leftOut);
        continue;
      }
      const record = check.record;
      if (written.has(record.certificateId)) {
        const holder = describeHolder(input, index);
        const message = 'appears twice in this export (only its first record is written)';
        result.leftOut.push({
          index,
          certificateId: record.certificateId,
          certificateNumber: record.certificateNumber,
          holder,
          issues: [{ field: 'certificateId', label: 'certificate', message }],
          messages: [`${holder}: certificate ${message}`],
        });
        continue;
      }

      let text = '';
      if (result.passages === 0) text += header;
      if (group?.code !== record.certificationCode) {
        if (group) text += GROUP_END;
        text +=
          '<cpf:certification>\n' +
          el('type', registerOf(record.certificationCode)) +
          el('code', record.certificationCode) +
          el('natureDeposant', natureDeposant) +
          '<cpf:passageCertifications>\n';
      }
      text += passageXml(
        record,
        accrochageIdTechnique({ id: record.certificateId, number: record.certificateNumber }),
      );
      const size = Buffer.byteLength(text);
      if (result.passages >= maxPassages || result.bytes + size + closingBytes > maxBytes) {
        const holder = describeHolder(input, index);
        const limit = result.passages >= maxPassages ? `${maxPassages} passages` : `${maxBytes} bytes`;
        const message = `not in this file: it is full (${limit}); it goes in the next one`;
        result.leftOut.push({
          index,
          certificateId: record.certificateId,
          certificateNumber: record.certificateNumber,
          holder,
          issues: [{ field: '', label: 'record', message }],
          messages: [`${holder}: ${message}`],
        });
        result.full = true;
        break;
      }
      if (group?.code !== record.certificationCode) {
        group = { code: record.certificationCode, passages: 0 };
        result.certifications.push(group);
      }
      group.passages++;
      pending += text;
      result.bytes += size;
      result.passages++;
      written.add(record.certificateId);
      result.sentCertificateIds.push(record.certificateId);
      if (pending.length >= FLUSH_AT) await flush();
    }
    if (result.passages > 0) {
      pending += GROUP_END + FILE_END;
      result.bytes += closingBytes;
    }
    await flush();
    out.end();
    await finished(out);
  } catch (error) {
    // Without the error: the caller gets it as the rejection; an error event nobody listens to would crash.
    out.destroy();
    throw error;
  }
  return result;
}
