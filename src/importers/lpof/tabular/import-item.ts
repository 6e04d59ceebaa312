import { AppError } from '../../../core/errors.js';

/**
 * What the streaming importers yield. Written for both public lists (LPOF and CPF catalogue); it lives in
 * the LPOF folder until importers share a common folder.
 */

/** One problem with one row: where it is, a stable code, and a readable English message. */
export interface ImportIssue {
  /** Line of the file where the row starts (1 = header line of a CSV, or first line of a JSON file). */
  line: number;
  /** The column (as named in the file) the problem is about, when it is about one. */
  column?: string;
  code: ImportIssueCode;
  message: string;
  /** The row's key (NDA, offer id) when it could be read: lets a caller tell which entity was rejected. */
  key?: string;
}

export const importIssueCodes = [
  'missing_value',
  'invalid_nda',
  'invalid_siret',
  'siren_mismatch',
  'invalid_boolean',
  'invalid_date',
  'invalid_number',
  'invalid_price',
  'invalid_code',
  'invalid_certification_code',
  'certification_code_conflict',
  'missing_certification',
  'field_count',
  'invalid_json',
  'not_an_object',
  'duplicate',
  'invalid_record',
] as const;
export type ImportIssueCode = (typeof importIssueCodes)[number];

export type DetectedEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';
export type Separator = ';' | ',' | '\t';

/** How the file is laid out; the first item every importer yields, before any row. */
export interface SourceFormat {
  fileName: string;
  /** `csv`, `json` (an array, an Opendatasoft `{results: […]}` answer, or objects one after the other) or `ndjson`. */
  kind: 'csv' | 'json' | 'ndjson';
  separator: Separator | null;
  /** The columns (or the first record's keys) recognised: field → name as written in the file. */
  columns: Record<string, string>;
  /** Columns (or keys) this importer does not read: listed so a renamed column is noticed. */
  unknownColumns: string[];
}

/**
 * The last item of an import. The encoding is known only at the end: until the first non-ASCII byte,
 * which may be far down the file, UTF-8 and Windows-1252 read the same.
 */
export interface ImportSummary {
  fileName: string;
  /** `utf-8` also for a pure-ASCII file. */
  encoding: DetectedEncoding;
  bom: boolean;
  /** Data rows read (records plus rejects). */
  rows: number;
  records: number;
  rejects: number;
  warnings: number;
}

/**
 * One step of an import: the layout (first), a validated record, a rejected row (not imported), a warning
 * (the record was imported but one of its values was ignored and is null), and the summary (last).
 */
export type ImportItem<T> =
  | { kind: 'format'; format: SourceFormat }
  | { kind: 'record'; line: number; record: T }
  | { kind: 'reject'; issue: ImportIssue }
  | { kind: 'warning'; issue: ImportIssue }
  | { kind: 'summary'; summary: ImportSummary };

/** A whole import held in memory: for tests and small files only (the catalogue can hold 300,000 offers). */
export interface CollectedImport<T> {
  format: SourceFormat | null;
  summary: ImportSummary | null;
  records: Array<{ line: number; record: T }>;
  rejects: ImportIssue[];
  warnings: ImportIssue[];
}

/**
 * Drains an importer's items into arrays. Meant for tests and small files: large files should be consumed
 * item by item so memory stays flat.
 */
export async function collectImport<T>(items: AsyncIterable<ImportItem<T>>): Promise<CollectedImport<T>> {
  const result: CollectedImport<T> = { format: null, summary: null, records: [], rejects: [], warnings: [] };
  for await (const item of items) {
    if (item.kind === 'format') result.format = item.format;
    else if (item.kind === 'summary') result.summary = item.summary;
    else if (item.kind === 'record') result.records.push({ line: item.line, record: item.record });
    else if (item.kind === 'reject') result.rejects.push(item.issue);
    else result.warnings.push(item.issue);
  }
  return result;
}

/**
 * The error for a file that cannot be imported at all (wrong encoding, broken quoting, missing columns):
 * the message names the file, the line when known, and what is wrong; nothing from the file is usable.
 */
export function importRejected(
  fileName: string,
  problem: string,
  where: { line?: number; column?: string; reason: string },
): AppError {
  const at = where.line === undefined ? '' : ` line ${where.line}:`;
  return new AppError('import_rejected', `${fileName}:${at} ${problem}`, {
    details: {
      file: fileName,
      reason: where.reason,
      ...(where.line === undefined ? {} : { line: where.line }),
      ...(where.column === undefined ? {} : { column: where.column }),
    },
  });
}
