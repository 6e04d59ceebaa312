import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { UploadIssueCode, UploadIssueParams } from '../../core/chain/upload-issue-codes.js';
import { headerKey, type UploadColumn } from './columns.js';
import { decodeUpload, type UploadEncoding } from './decode.js';

/**
 * One problem in an upload: the line of the file (1 is the header; null: the whole file), the column, why
 * (in English), and for the problems a client words itself, a stable `code` with its `params`.
 */
export interface UploadIssue {
  line: number | null;
  column: string | null;
  message: string;
  code?: UploadIssueCode;
  params?: UploadIssueParams;
}

/** A cell as read: text (CSV, XLSX text), a number or a date (XLSX typed cells), or nothing. */
export type CellValue = string | number | Date | null;

export interface UploadRow {
  /** The line of the file (the header is line 1). */
  line: number;
  /** By the template's header (the canonical spelling), only the columns the file has. */
  cells: Record<string, CellValue>;
}

export interface UploadTable {
  format: 'csv' | 'xlsx';
  encoding: UploadEncoding | null;
  rows: UploadRow[];
  /** File-level problems (format, encoding, columns); when not empty, `rows` is empty. */
  issues: UploadIssue[];
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/** Signatures of files people upload by mistake (a PDF, a picture, an archive): not a table at all. */
const notTabular: readonly (readonly number[])[] = [
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x1f, 0x8b], // gzip
  [0x52, 0x61, 0x72, 0x21], // Rar!
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
];
const isNotTabular = (b: Uint8Array) => notTabular.some((sig) => sig.every((byte, i) => b[i] === byte));

/** What the reader is told about the upload besides its bytes, to name it in the problems it reports. */
export interface UploadTableOptions {
  /** The file's name as uploaded: every file-level problem names it (`params.file`). */
  fileName?: string;
  /** The template the file should follow (its download name, e.g. `modele-resultats-evaluation`). */
  templateName?: string;
  /**
   * The other templates: a header made of another template's columns is reported once as `wrong_template`
   * rather than as a list of unknown columns.
   */
  otherTemplates?: readonly { name: string; columns: readonly UploadColumn[] }[];
}

/** A problem with the whole file: `params.file` names it, and the English message too. */
function fileIssue(
  options: UploadTableOptions,
  code: UploadIssueCode,
  message: (file: string) => string,
  params: UploadIssueParams = {},
  line: number | null = null,
): UploadIssue {
  const file = options.fileName || 'the file';
  return { line, column: null, message: message(`« ${file} »`), code, params: { file, ...params } };
}

/** The most rows an upload may hold: beyond, a partner is better served by the API. */
export const MAX_UPLOAD_ROWS = 50_000;

/**
 * Reads an uploaded XLSX workbook (first sheet) or CSV file (`;`, `,` or TAB) into rows keyed by the template's
 * headers. The format is recognised from the content, not the name. Unknown, repeated or missing columns,
 * an encoding that is not UTF-8 or Windows-1252, a sheet without a header: file-level issues, each naming
 * the column or the line, and no rows.
 */
export async function readUploadTable(
  bytes: Uint8Array,
  columns: readonly UploadColumn[],
  options: UploadTableOptions = {},
): Promise<UploadTable> {
  const refused = (format: 'csv' | 'xlsx', issue: UploadIssue): UploadTable => ({
    format,
    encoding: null,
    rows: [],
    issues: [issue],
  });
  if (bytes.length === 0 || bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d))
    return refused(
      'csv',
      fileIssue(options, 'empty_file', (f) => `${f} is empty`),
    );
  if (isOle(bytes))
    return refused(
      'xlsx',
      fileIssue(
        options,
        'legacy_xls',
        (f) => `${f} is an old Excel workbook (.xls): save it as .xlsx or as « CSV UTF-8 »`,
      ),
    );
  if (isNotTabular(bytes)) return refused('csv', notASpreadsheet(options));
  if (isZip(bytes)) return readXlsx(bytes, columns, options);
  const decoded = decodeUpload(bytes);
  if (!decoded.ok)
    return refused(
      'csv',
      fileIssue(options, decoded.code, (f) => `${f}: ${decoded.message}`, decoded.params, decoded.line),
    );
  return { ...readCsv(decoded.text, columns, options), encoding: decoded.encoding };
}

const notASpreadsheet = (options: UploadTableOptions, why?: string) =>
  fileIssue(
    options,
    'not_a_spreadsheet',
    (f) =>
      `${f} is neither an XLSX workbook nor a readable CSV file${why ? ` (${why})` : ''}: save it as .xlsx or « CSV UTF-8 »`,
  );

/**
 * The other template whose columns the header mostly holds (at least half of its non-empty cells, and more
 * of them than of the expected template's), if any: the user picked the wrong file or the wrong screen.
 */
function otherTemplateOf(
  headers: readonly string[],
  columns: readonly UploadColumn[],
  options: UploadTableOptions,
) {
  const keys = headers
    .map((h) => h.trim())
    .filter(Boolean)
    .map(headerKey);
  const hits = (cols: readonly UploadColumn[]) => {
    const known = new Set(cols.map((c) => headerKey(c.header)));
    return keys.filter((k) => known.has(k)).length;
  };
  const expected = hits(columns);
  return options.otherTemplates?.find((o) => {
    const found = hits(o.columns);
    return found * 2 >= keys.length && found > expected;
  });
}

/** Matches the header cells with the template's columns; `index` is the cell's position. */
function matchHeader(
  headers: readonly string[],
  columns: readonly UploadColumn[],
  options: UploadTableOptions,
) {
  const other = otherTemplateOf(headers, columns, options);
  if (other)
    return {
      mapped: [],
      issues: [
        fileIssue(
          options,
          'wrong_template',
          (f) =>
            `${f} follows the « ${other.name} » template, not the one expected here (« ${options.templateName ?? '?'} »)`,
          { found: other.name, expected: options.templateName ?? '?' },
          1,
        ),
      ],
    };
  const byKey = new Map(columns.map((c) => [headerKey(c.header), c]));
  const file = options.fileName || 'the file';
  const issues: UploadIssue[] = [];
  const mapped: { index: number; header: string }[] = [];
  const seen = new Set<string>();
  headers.forEach((raw, index) => {
    const header = raw.trim();
    if (header === '') return;
    const column = byKey.get(headerKey(header));
    if (!column) {
      issues.push({
        line: 1,
        column: header,
        message: `unknown column « ${header} » in « ${file} »: the template's columns are ${columns.map((c) => c.header).join(', ')}`,
        code: 'unknown_column',
        params: { column: header, expected: columns.map((c) => c.header).join(', '), file },
      });
      return;
    }
    if (seen.has(column.header)) {
      issues.push({
        line: 1,
        column: header,
        message: `column « ${column.header} » appears twice in « ${file} »`,
        code: 'column_twice',
        params: { column: column.header, file },
      });
      return;
    }
    seen.add(column.header);
    mapped.push({ index, header: column.header });
  });
  for (const c of columns)
    if (c.required && !seen.has(c.header))
      issues.push({
        line: 1,
        column: c.header,
        message: `required column « ${c.header} » is missing from « ${file} »`,
        code: 'column_missing',
        params: { column: c.header, file },
      });
  return { mapped, issues };
}

const isBlank = (v: CellValue) => v === null || (typeof v === 'string' && v.trim() === '');

function tooMany(count: number, options: UploadTableOptions): UploadIssue[] {
  return count > MAX_UPLOAD_ROWS
    ? [
        fileIssue(
          options,
          'too_many_rows',
          (f) => `${f} has ${count} rows: at most ${MAX_UPLOAD_ROWS} per upload`,
          { count, max: MAX_UPLOAD_ROWS },
        ),
      ]
    : [];
}

function readCsv(
  text: string,
  columns: readonly UploadColumn[],
  options: UploadTableOptions,
): Omit<UploadTable, 'encoding'> {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  // French spreadsheets write `;`: it wins a tie.
  const delimiter = (Object.entries(counts) as [string, number][]).reduce(
    (best, e) => (e[1] > best[1] ? e : best),
    [';', counts[';']],
  )[0];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
      bom: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? null;
    const reason = (error as Error).message;
    return {
      format: 'csv',
      rows: [],
      issues: [
        fileIssue(
          options,
          'csv_unreadable',
          (f) => `the CSV ${f} cannot be read: ${reason}`,
          { line: line ?? '?', reason },
          line,
        ),
      ],
    };
  }
  const [head, ...body] = records;
  if (!head)
    return { format: 'csv', rows: [], issues: [fileIssue(options, 'empty_file', (f) => `${f} is empty`)] };
  if (head.record.every((h) => h.trim() === ''))
    return {
      format: 'csv',
      rows: [],
      issues: [
        fileIssue(
          options,
          'no_header',
          (f) => `the first line of ${f} must hold the template's column headers`,
          {},
          1,
        ),
      ],
    };
  const { mapped, issues } = matchHeader(head.record, columns, options);
  const overflow = tooMany(body.length, options);
  if (issues.length || overflow.length) return { format: 'csv', rows: [], issues: [...issues, ...overflow] };
  const rows: UploadRow[] = [];
  for (const { record, info } of body) {
    if (record.every((v) => v.trim() === '')) continue;
    const cells: Record<string, CellValue> = {};
    for (const m of mapped) cells[m.header] = record[m.index] ?? null;
    // info.lines is the last line of the record: a quoted value may span lines; errors name where it ends.
    rows.push({ line: info.lines, cells });
  }
  return { format: 'csv', rows, issues: [] };
}

/** An XLSX cell as a plain value: formulas by their result, rich text and links by their text. */
function cellValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellValue((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return null;
  }
  return String(value);
}

/**
 * Reads the first sheet with ExcelJS's streaming reader: rows are mapped one by one and the workbook's object
 * model is never built, so a 20,000-row upload holds its rows once, not also as a whole workbook of cells.
 * Shared strings and styles (which tell a date cell) are cached, as the reader needs them to give values.
 */
async function readXlsx(
  bytes: Uint8Array,
  columns: readonly UploadColumn[],
  options: UploadTableOptions,
): Promise<UploadTable> {
  const refused = (issues: UploadIssue[]): UploadTable => ({
    format: 'xlsx',
    encoding: null,
    rows: [],
    issues,
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]),
    { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' },
  );
  const noHeader = () =>
    fileIssue(
      options,
      'no_header',
      (f) => `the first row of the first sheet of ${f} must hold the template's column headers`,
      {},
      1,
    );
  let sheets = 0;
  let mapped: { index: number; header: string }[] | null = null;
  /** Set once the file is refused: the rest is still read through, unused (see below). */
  let refusal: UploadIssue[] | null = null;
  const rows: UploadRow[] = [];
  try {
    // Every sheet and row is read to the end, even past the first sheet or a refusal: the reader keeps
    // sheets stored before the shared strings in temporary files, removed only once each is read whole.
    for await (const sheet of reader) {
      const first = sheets++ === 0;
      for await (const row of sheet) {
        if (!first || refusal) continue;
        if (mapped === null) {
          const headers: string[] = [];
          if (row.number === 1)
            for (let c = 1; c <= row.cellCount; c++) {
              const v = cellValue(row.getCell(c).value);
              headers[c - 1] = v === null ? '' : String(v);
            }
          if (headers.every((h) => h.trim() === '')) {
            refusal = [noHeader()];
            continue;
          }
          const header = matchHeader(headers, columns, options);
          if (header.issues.length) refusal = header.issues;
          else mapped = header.mapped;
          continue;
        }
        // Counted as the sheet counts them (empty rows included), refused as soon as one is too many.
        if (row.number - 1 > MAX_UPLOAD_ROWS) {
          refusal = tooMany(row.number - 1, options);
          rows.length = 0;
          continue;
        }
        const cells: Record<string, CellValue> = {};
        for (const m of mapped) cells[m.header] = cellValue(row.getCell(m.index + 1).value);
        if (Object.values(cells).every(isBlank)) continue;
        rows.push({ line: row.number, cells });
      }
    }
  } catch (error) {
    // A ZIP that is not a workbook (an archive, a .docx) or a damaged one.
    return refused([notASpreadsheet(options, (error as Error).message)]);
  }
  if (sheets === 0) return refused([fileIssue(options, 'no_sheet', (f) => `the workbook ${f} has no sheet`)]);
  if (refusal) return refused(refusal);
  if (mapped === null) return refused([noHeader()]);
  return { format: 'xlsx', encoding: null, rows, issues: [] };
}
