import { createReadStream } from 'node:fs';
import path from 'node:path';
import { type CpfOffer, cpfOffer } from '../../core/cpf-offers/cpf-offer.schema.js';
import { type ByteSource, type ImportDefinition, type ImportItem, runImport } from '../lpof/tabular/index.js';
import { cpfCatalogueSpec } from './columns.js';
import { mapCpfOfferRow } from './map.js';

export interface CpfCatalogueParseOptions {
  /** The name used in every message (the file's base name by default for `parseCpfCatalogueFile`). */
  fileName: string;
  /** Skip encoding detection. */
  encoding?: 'utf-8' | 'windows-1252';
  /** Skip layout detection (a file starting with `[` or `{` is read as JSON). */
  format?: 'csv' | 'json';
}

const cpfCatalogueImport: ImportDefinition<CpfOffer> = {
  spec: cpfCatalogueSpec,
  schema: cpfOffer,
  map: mapCpfOfferRow,
  keyOf: (offer) => offer.offerId,
  keyName: 'offer',
};

/**
 * Streams the Caisse des Dépôts catalogue of CPF offers into validated offers: CSV (`;` or `,`, UTF-8 or
 * Windows-1252, detected) or JSON (array, Opendatasoft `{results: […]}` answer, or NDJSON), with either
 * generation of column names. Certification numbers get their `RNCP`/`RS` prefix. Yields the format
 * first, then records, rejects and warnings as they come, then the summary; an unreadable file throws
 * `import_rejected`. Memory stays flat apart from the set of offer ids seen (for duplicates).
 *
 * @example
 * for await (const item of parseCpfCatalogueFile('catalogue.csv')) {
 *   if (item.kind === 'record') match(item.record);
 *   else if (item.kind === 'reject') report(item.issue);
 * }
 */
export function parseCpfCatalogue(
  source: ByteSource,
  options: CpfCatalogueParseOptions,
): AsyncGenerator<ImportItem<CpfOffer>> {
  return runImport(source, cpfCatalogueImport, options);
}

/** `parseCpfCatalogue` on a file path, read in 64 KB chunks. */
export function parseCpfCatalogueFile(
  filePath: string,
  options: Partial<CpfCatalogueParseOptions> = {},
): AsyncGenerator<ImportItem<CpfOffer>> {
  return parseCpfCatalogue(createReadStream(filePath), { fileName: path.basename(filePath), ...options });
}
