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
): Promise<UploadTable> {
  if (bytes.length === 0)
    return {
      format: 'csv',
      encoding: null,
      rows: [],
      issues: [{ line: null, column: null, message: 'the file is empty' }],
    };
  if (isOle(bytes))
    return {
      format: 'xlsx',
      encoding: null,
      rows: [],
      issues: [
        {
          line: null,
          column: null,
          message: 'old Excel format (.xls): save the file as .xlsx or as CSV UTF-8',
        },
      ],
    };
  if (isZip(bytes)) return readXlsx(bytes, columns);
  const decoded = decodeUpload(bytes);
  if (!decoded.ok)
    return {
      format: 'csv',
      encoding: null,
      rows: [],
      issues: [{ line: decoded.line, column: null, message: decoded.message }],
    };
  return { ...readCsv(decoded.text, columns), encoding: decoded.encoding };
}

/** Matches the header cells with the template's columns; `index` is the cell's position. */
function matchHeader(headers: readonly string[], columns: readonly UploadColumn[]) {
  const byKey = new Map(columns.map((c) => [headerKey(c.header), c]));
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
        message: `unknown column « ${header} »: the template's columns are ${columns.map((c) => c.header).join(', ')}`,
        code: 'unknown_column',
        params: { column: header, expected: columns.map((c) => c.header).join(', ') },
      });
      return;
    }
    if (seen.has(column.header)) {
      issues.push({
        line: 1,
        column: header,
        message: `column « ${column.header} » appears twice`,
        code: 'column_twice',
        params: { column: column.header },
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
        message: `required column « ${c.header} » is missing`,
        code: 'column_missing',
        params: { column: c.header },
      });
  return { mapped, issues };
}

const isBlank = (v: CellValue) => v === null || (typeof v === 'string' && v.trim() === '');

function tooMany(count: number): UploadIssue[] {
  return count > MAX_UPLOAD_ROWS
    ? [
        {
          line: null,
          column: null,
          message: `the file has ${count} rows: at most ${MAX_UPLOAD_ROWS} per upload`,
        },
      ]
    : [];
}

function readCsv(text: string, columns: readonly UploadColumn[]): Omit<UploadTable, 'encoding'> {
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
    return {
      format: 'csv',
      rows: [],
      issues: [{ line, column: null, message: `the CSV cannot be read: ${(error as Error).message}` }],
    };
  }
  const [head, ...body] = records;
  if (!head)
    return { format: 'csv', rows: [], issues: [{ line: null, column: null, message: 'the file is empty' }] };
  const { mapped, issues } = matchHeader(head.record, columns);
  const overflow = tooMany(body.length);
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

async function readXlsx(bytes: Uint8Array, columns: readonly UploadColumn[]): Promise<UploadTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer,
    );
  } catch (error) {
    return {
      format: 'xlsx',
      encoding: null,
      rows: [],
      issues: [
        { line: null, column: null, message: `not a readable XLSX workbook: ${(error as Error).message}` },
      ],
    };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet)
    return {
      format: 'xlsx',
      encoding: null,
      rows: [],
      issues: [{ line: null, column: null, message: 'the workbook has no sheet' }],
    };
  const header = sheet.getRow(1);
  const headers: string[] = [];
  for (let c = 1; c <= header.cellCount; c++) {
    const v = cellValue(header.getCell(c).value);
    headers[c - 1] = v === null ? '' : String(v);
  }
  if (headers.every((h) => h.trim() === ''))
    return {
      format: 'xlsx',
      encoding: null,
      rows: [],
      issues: [
        { line: 1, column: null, message: 'the first row of the first sheet must hold the column headers' },
      ],
    };
  const { mapped, issues } = matchHeader(headers, columns);
  const overflow = tooMany(sheet.actualRowCount - 1);
  if (issues.length || overflow.length)
    return { format: 'xlsx', encoding: null, rows: [], issues: [...issues, ...overflow] };
  const rows: UploadRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return;
    const cells: Record<string, CellValue> = {};
    for (const m of mapped) cells[m.header] = cellValue(row.getCell(m.index + 1).value);
    if (Object.values(cells).every(isBlank)) return;
    rows.push({ line, cells });
  });
  return { format: 'xlsx', encoding: null, rows, issues: [] };
}
