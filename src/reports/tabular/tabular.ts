import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../fc-declarations/partner-list.js';

/**
 * Generic tables for exports: one column list drives the CSV and the XLSX renderings of any list, so a
 * list exported from the UI, a sheet of the statistics workbook and a file of the evidence dossier all
 * follow the same rules (French CSV: UTF-8 with BOM, `;`, CRLF; formulas neutralised; dates as dates).
 */
export type CellKind = 'text' | 'date' | 'integer' | 'decimal' | 'percent';

export interface TableColumn<T> {
  title: string;
  value(row: T): string | number | boolean | null | undefined;
  /** `text` by default. `date` values are ISO `YYYY-MM-DD` (or full ISO timestamps); `percent` are ratios 0–1. */
  kind?: CellKind;
  width?: number;
}

export interface TableSheet<T> {
  name: string;
  columns: readonly TableColumn<T>[];
  rows: Iterable<T>;
  /** Lines printed above the header (a title, the filters that made the list). */
  caption?: readonly string[];
}

function csvField(value: string): string {
  const safe = neutraliseFormula(value);
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvText(value: unknown, kind: CellKind): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') {
    // French spreadsheets read a decimal comma.
    const n = kind === 'percent' ? Math.round(value * 1000) / 10 : value;
    return String(n).replace('.', ',');
  }
  return String(value);
}

/** One CSV line per row, header first; yields text chunks so a long list streams. */
export function* csvLines<T>(columns: readonly TableColumn<T>[], rows: Iterable<T>): Generator<string> {
  yield `\ufeff${columns.map((c) => csvField(c.title)).join(';')}\r\n`;
  for (const row of rows)
    yield `${columns.map((c) => csvField(csvText(c.value(row), c.kind ?? 'text'))).join(';')}\r\n`;
}

/** The whole CSV as one string (small lists). */
export function toCsv<T>(columns: readonly TableColumn<T>[], rows: Iterable<T>): string {
  return [...csvLines(columns, rows)].join('');
}

function xlsxValue(value: unknown, kind: CellKind): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (kind === 'date' && typeof value === 'string') {
    const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    return Number.isNaN(d.getTime()) ? value : d;
  }
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') return value;
  return neutraliseFormula(String(value));
}

const numFmt: Record<CellKind, string> = {
  text: '@',
  date: 'dd/mm/yyyy',
  integer: '0',
  decimal: '0.00',
  percent: '0.0%',
};

/** A typed sheet, for a workbook that mixes sheets of different rows. */
export const sheetOf = <T>(sheet: TableSheet<T>): TableSheet<unknown> => sheet as TableSheet<unknown>;

/**
 * A workbook with one sheet per table: caption lines, a bold frozen header with a filter, typed cells.
 * The workbook's dates are fixed so the same data gives the same file.
 */
export async function toXlsx(sheets: readonly TableSheet<unknown>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Habilis';
  workbook.created = new Date(Date.UTC(2000, 0, 1));
  workbook.modified = workbook.created;
  for (const sheet of sheets) {
    const caption = sheet.caption ?? [];
    const headerRow = caption.length ? caption.length + 2 : 1;
    const ws = workbook.addWorksheet(sheet.name.slice(0, 31), {
      views: [{ state: 'frozen', ySplit: headerRow }],
    });
    caption.forEach((line, i) => {
      const cell = ws.getCell(i + 1, 1);
      cell.value = neutraliseFormula(line);
      if (i === 0) cell.font = { bold: true, size: 13 };
    });
    sheet.columns.forEach((c, i) => {
      const column = ws.getColumn(i + 1);
      column.width = c.width ?? Math.max(10, Math.min(40, c.title.length + 4));
      column.numFmt = numFmt[c.kind ?? 'text'];
    });
    const header = ws.getRow(headerRow);
    header.values = sheet.columns.map((c) => c.title);
    header.font = { bold: true };
    for (const row of sheet.rows) {
      ws.addRow(sheet.columns.map((c) => xlsxValue(c.value(row), c.kind ?? 'text')));
    }
    if (sheet.columns.length)
      ws.autoFilter = {
        from: { row: headerRow, column: 1 },
        to: { row: headerRow, column: sheet.columns.length },
      };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
