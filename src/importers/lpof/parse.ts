import { createReadStream } from 'node:fs';
import path from 'node:path';
import { type LpofOrganisation, lpofOrganisation } from '../../core/lpof/lpof-organisation.schema.js';
import { lpofSpec } from './columns.js';
import { mapLpofRow } from './map.js';
import { type ByteSource, type ImportDefinition, type ImportItem, runImport } from './tabular/index.js';

export interface LpofParseOptions {
  /** The name used in every message (the file's base name by default for `parseLpofFile`). */
  fileName: string;
  /** Skip encoding detection. */
  encoding?: 'utf-8' | 'windows-1252';
}

const lpofImport: ImportDefinition<LpofOrganisation> = {
  spec: lpofSpec,
  schema: lpofOrganisation,
  map: mapLpofRow,
  keyOf: (record) => record.nda,
  keyName: 'NDA',
};

/**
 * Streams the « liste publique des organismes de formation » (CSV, `;` or `,`, UTF-8 with or without BOM
 * or Windows-1252, all detected; the Opendatasoft JSON export is read too) into validated organisation
 * records. Yields the format first, then
 * records, rejects (row not imported) and warnings (value ignored) as they come, then the summary. A file
 * that cannot be read at all (missing columns, encoding, broken quoting) throws `import_rejected`.
 *
 * @example
 * for await (const item of parseLpof(createReadStream(file), { fileName: 'lpof.csv' })) {
 *   if (item.kind === 'record') upsert(item.record);
 * }
 */
export function parseLpof(
  source: ByteSource,
  options: LpofParseOptions,
): AsyncGenerator<ImportItem<LpofOrganisation>> {
  return runImport(source, lpofImport, options);
}

/** `parseLpof` on a file path, read in 64 KB chunks. */
export function parseLpofFile(
  filePath: string,
  options: Partial<LpofParseOptions> = {},
): AsyncGenerator<ImportItem<LpofOrganisation>> {
  return parseLpof(createReadStream(filePath), { fileName: path.basename(filePath), ...options });
}
