import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { AccrochageIssuerInput } from '../../core/accrochage/holder-record.schema.js';
import {
  type AccrochageWriteOptions,
  type AccrochageWriteResult,
  writeAccrochageFlux,
} from './accrochage-writer.js';
import { type AccrochageValidation, type ValidateFileOptions, validateAccrochageFile } from './validate.js';

export {
  type AccrochageWriteOptions,
  type AccrochageWriteResult,
  MAX_BYTES_PER_FILE,
  MAX_PASSAGES_PER_FILE,
  writeAccrochageFlux,
} from './accrochage-writer.js';
export {
  ACCROCHAGE_SCHEMA_VERSION,
  type AccrochageValidation,
  type AccrochageValidationError,
  accrochageSchema,
  validateAccrochageFile,
  validateAccrochageXml,
} from './validate.js';
export { formatFluxTimestamp } from './xml-text.js';

export interface AccrochageExportResult extends AccrochageWriteResult {
  /**
   * Where the flux is: `filePath` when it is valid and may be offered; `<filePath>.invalid` when the schema
   * refused it (kept to find out why; never to deposit); null when no record could be written.
   */
  file: string | null;
  /** The schema check of the written file; null when nothing was written. */
  validation: AccrochageValidation | null;
}

/**
 * Writes the flux to a file and checks it against the XSD before it appears under its name: the file is
 * written as `<filePath>.partial`, validated, then renamed to `filePath` only if valid, so a file found at
 * `filePath` has passed the schema. See writeAccrochageFlux for the records and the holders left out.
 *
 * @example
 * const result = await exportAccrochageFile('out/accrochage.xml', issuer, records);
 * if (result.validation?.valid) offer(result.file); else report(result.leftOut, result.validation?.errors);
 */
export async function exportAccrochageFile(
  filePath: string,
  issuer: AccrochageIssuerInput,
  records: AsyncIterable<unknown> | Iterable<unknown>,
  options: AccrochageWriteOptions & {
    validation?: ValidateFileOptions;
    /** The check to run; Habilis' XSD 1.1.2 by default (another schema version, a test, can replace it). */
    validate?: (file: string, options?: ValidateFileOptions) => Promise<AccrochageValidation>;
  } = {},
): Promise<AccrochageExportResult> {
  const partial = `${filePath}.partial`;
  let written: AccrochageWriteResult;
  try {
    written = await writeAccrochageFlux(createWriteStream(partial), issuer, records, options);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  if (written.passages === 0) {
    await rm(partial, { force: true });
    return { ...written, file: null, validation: null };
  }
  const validate = options.validate ?? validateAccrochageFile;
  const validation = await validate(partial, options.validation);
  const file = validation.valid ? filePath : `${filePath}.invalid`;
  await rename(partial, file);
  return { ...written, file, validation };
}
