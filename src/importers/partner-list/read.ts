import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { columnByKey, columnOfHeader, type PartnerColumnKey, partnerColumns } from './columns.js';

/** One problem of the file: the line (1 is the header), the column as the template names it, why. */
export interface ImportIssue {
  line: number;
  column: string;
  message: string;
}

/** A cell as read: text, a number or a date (typed XLSX cells), or nothing. */
export type CellValue = string | number | Date | null;

export interface PartnerRow {
  /** The line of the file (the header is line 1). */
  line: number;
  cells: Partial<Record<PartnerColumnKey, CellValue>>;
}

export interface PartnerTable {
  format: 'csv' | 'xlsx';
  rows: PartnerRow[];
  /** Problems of the file itself (format, header); when not empty, `rows` is empty. */
  issues: ImportIssue[];
}

/** The most rows a partner list may hold: a network of a few thousand partners fits. */
export const MAX_PARTNER_ROWS = 5000;

const fileIssue = (message: string, column = '(file)', line = 1): ImportIssue => ({ line, column, message });

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/** UTF-8 when the bytes are valid UTF-8 (with or without BOM); otherwise Windows-1252, as older Excel saves CSV. */
function decode(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\ufeff/, '');
  } catch {
    return iconv.decode(buffer, 'win1252');
  }
}

/** `;` (French Excel), `,` or TAB: whichever the header line holds most, outside quotes. */
function separatorOf(text: string): string {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = new Map<string, number>([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/** Maps the header cells to the template's columns; unknown, repeated and missing columns are issues. */
function mapHeader(headers: readonly string[]): {
  columns: (PartnerColumnKey | null)[];
  issues: ImportIssue[];
} {
  const issues: ImportIssue[] = [];
  const seen = new Map<PartnerColumnKey, string>();
  const columns = headers.map((raw) => {
    const header = raw.trim();
    if (header === '') return null;
    const key = columnOfHeader(header);
    if (!key) {
      issues.push(
        fileIssue(
          `unknown column (the template's columns: ${partnerColumns.map((c) => c.header).join(', ')})`,
          header,
        ),
      );
      return null;
    }
    if (seen.has(key)) {
      issues.push(fileIssue(`the column appears twice (also as "${seen.get(key)}")`, header));
      return null;
    }
    seen.set(key, header);
    return key;
  });
  for (const column of partnerColumns)
    if (column.required && !seen.has(column.key))
      issues.push(fileIssue('required column missing', column.header));
  return { columns, issues };
}

function toRows(
  records: readonly (readonly CellValue[])[],
  columns: readonly (PartnerColumnKey | null)[],
  firstLine: number,
): PartnerRow[] {
  const rows: PartnerRow[] = [];
  records.forEach((record, i) => {
    const cells: PartnerRow['cells'] = {};
    let empty = true;
    columns.forEach((key, c) => {
      if (!key) return;
      let value = record[c] ?? null;
      if (typeof value === 'string') value = value.trim() || null;
      if (value !== null) empty = false;
      cells[key] = value;
    });
    // Blank lines (a sheet's trailing rows, an empty CSV line) are not partners.
    if (!empty) rows.push({ line: firstLine + i, cells });
  });
  return rows;
}

function readCsv(bytes: Uint8Array): PartnerTable {
  const text = decode(bytes);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: separatorOf(text),
      relax_column_count: true,
      skip_empty_lines: false,
      bom: true,
    }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return {
      format: 'csv',
      rows: [],
      issues: [fileIssue(`not a readable CSV file: ${(error as Error).message}`, '(file)', line)],
    };
  }
  const [header, ...data] = records;
  if (!header) return { format: 'csv', rows: [], issues: [fileIssue('the file is empty')] };
  const { columns, issues } = mapHeader(header);
  if (issues.length) return { format: 'csv', rows: [], issues };
  return { format: 'csv', rows: toRows(data, columns, 2), issues: [] };
}

/** A typed cell of exceljs as a plain value: rich text joined, formulas by their result, hyperlinks by text. */
function cellValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
  }
  return null;
}

async function readXlsx(bytes: Uint8Array): Promise<PartnerTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer,
    );
  } catch {
    return { format: 'xlsx', rows: [], issues: [fileIssue('not a readable XLSX workbook')] };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0)
    return { format: 'xlsx', rows: [], issues: [fileIssue('the workbook is empty')] };
  const width = sheet.columnCount;
  const rowValues = (n: number): CellValue[] =>
    Array.from({ length: width }, (_, c) => cellValue(sheet.getRow(n).getCell(c + 1).value));
  const header = rowValues(1).map((v) => (v === null ? '' : v instanceof Date ? v.toISOString() : String(v)));
  const { columns, issues } = mapHeader(header);
  if (issues.length) return { format: 'xlsx', rows: [], issues };
  const data = Array.from({ length: sheet.rowCount - 1 }, (_, i) => rowValues(i + 2));
  return { format: 'xlsx', rows: toRows(data, columns, 2), issues: [] };
}

/**
 * Reads a partner list, XLSX (first sheet) or CSV (UTF-8 or Windows-1252; `;`, `,` or TAB), recognised
 * from its content rather than its name, into rows keyed by the template's columns. Problems of the file
 * itself (unreadable, unknown or missing columns, too many rows) come back as issues with no rows.
 */
export async function readPartnerTable(bytes: Uint8Array): Promise<PartnerTable> {
  if (bytes.length === 0) return { format: 'csv', rows: [], issues: [fileIssue('the file is empty')] };
  if (isOle(bytes))
    return {
      format: 'xlsx',
      rows: [],
      issues: [fileIssue('old Excel format (.xls): save the file as .xlsx or CSV')],
    };
  const table = isZip(bytes) ? await readXlsx(bytes) : readCsv(bytes);
  if (table.rows.length > MAX_PARTNER_ROWS)
    return { ...table, rows: [], issues: [fileIssue(`more than ${MAX_PARTNER_ROWS} rows: split the file`)] };
  if (table.issues.length === 0 && table.rows.length === 0)
    return {
      ...table,
      issues: [fileIssue(`no partner below the header (first column: ${columnByKey.siret.header})`)],
    };
  return table;
}
