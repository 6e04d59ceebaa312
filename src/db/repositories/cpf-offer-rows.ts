import { copyField } from '../../core/copy-text.js';

// The rows of new CPF offers as COPY text, apart from the repository (which loads Kysely): the CPF
// import's worker thread encodes them, the repository writes them (`insertOffers`).

/** A new offer's columns, in the order of NEW_OFFER_COLUMNS (with the import's id, written by `newOfferLine`). */
export interface NewOfferRow {
  offerId: string;
  certificationId: string;
  certificationCode: string | null;
  certifInfoCode: string | null;
  siret: string;
  siren: string;
  organisationName: string | null;
  organisationId: string | null;
  matchedBy: string | null;
  verdict: string;
  title: string;
  priceMin: number | null;
  priceMax: number | null;
  hoursMin: number | null;
  hoursMax: number | null;
  departmentCode: string | null;
  regionName: string | null;
  modality: string | null;
  extractedOn: string;
  hash: string;
  sourceLine: number;
}

export const NEW_OFFER_COLUMNS = `offer_id, certification_id, certification_code, certif_info_code, siret, siren,
  organisation_name, organisation_id, matched_by, verdict, title, price_min, price_max, hours_min, hours_max,
  department_code, region_name, modality, extracted_on, hash, record, source_line, first_import_id,
  changed_import_id`;

/**
 * A new offer as one line of COPY text, without its newline, for `insertOffers`. `record` is the offer's
 * data as JSON, stored as it is; `importId` is the import that first saw it (and changed it).
 */
export function newOfferLine(row: NewOfferRow, record: string, importId: string): string {
  return [
    row.offerId,
    row.certificationId,
    row.certificationCode,
    row.certifInfoCode,
    row.siret,
    row.siren,
    row.organisationName,
    row.organisationId,
    row.matchedBy,
    row.verdict,
    row.title,
    row.priceMin,
    row.priceMax,
    row.hoursMin,
    row.hoursMax,
    row.departmentCode,
    row.regionName,
    row.modality,
    row.extractedOn,
    row.hash,
    record,
    row.sourceLine,
    importId,
    importId,
  ]
    .map(copyField)
    .join('\t');
}
