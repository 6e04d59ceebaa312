import ExcelJS from 'exceljs';
import type { DeclaredPartnerRow } from '../../core/declarations/declaration.schema.js';

/**
 * The list of partners to declare to France Compétences, one row per partner × certification, as CSV (for
 * any tool) and XLSX (for people). Column titles are French: the file goes to the certifier's staff and
 * mirrors what France Compétences' form asks.
 */

interface Column {
  title: string;
  value(row: DeclaredPartnerRow): string | null;
  /** ISO date columns become real dates in XLSX. */
  isDate?: boolean;
  width: number;
}

export const partnerListColumns: readonly Column[] = [
  { title: 'SIRET', value: (r) => r.siret, width: 17 },
  { title: 'Raison sociale', value: (r) => r.legalName, width: 40 },
  { title: 'Code certification', value: (r) => r.certificationCode, width: 18 },
  { title: 'Intitulé certification', value: (r) => r.certificationTitle, width: 40 },
  { title: 'Habilitation France Compétences', value: (r) => r.franceCompetencesValue, width: 30 },
  { title: 'État', value: (r) => r.state, width: 10 },
  { title: 'Début', value: (r) => r.startsOn, isDate: true, width: 12 },
  { title: 'Fin', value: (r) => r.endsOn, isDate: true, width: 12 },
  { title: 'Dernier changement', value: (r) => r.lastChangeOn, isDate: true, width: 18 },
  { title: 'À déclarer avant', value: (r) => r.dueOn, isDate: true, width: 16 },
  { title: 'Déclaré le', value: (r) => r.declaredOn, isDate: true, width: 12 },
];

/**
 * A cell a spreadsheet would take for a formula (`=`, `+`, `@`, tab, carriage return first) is prefixed
 * with an apostrophe, so that opening the export never runs what a partner typed as its name.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+@\t\r]/.test(value) ? `'${value}` : value;
}

function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = neutraliseFormula(value);
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The list as CSV the way French spreadsheets open it without a wizard: UTF-8 with a byte-order mark,
 * `;` between fields, CRLF line ends, dates as ISO `YYYY-MM-DD`.
 */
export function partnerListCsv(rows: readonly DeclaredPartnerRow[]): string {
  const lines = [partnerListColumns.map((c) => csvField(c.title)).join(';')];
  for (const row of rows) lines.push(partnerListColumns.map((c) => csvField(c.value(row))).join(';'));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** The list as an XLSX workbook: one sheet, a bold frozen header, dates as dates, SIRET kept as text. */
export async function partnerListXlsx(rows: readonly DeclaredPartnerRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Habilis';
  // Fixed, so that the same list gives the same workbook.
  workbook.created = new Date(Date.UTC(2000, 0, 1));
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Partenaires', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = partnerListColumns.map((c) => ({ header: c.title, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(
      partnerListColumns.map((c) => {
        const value = c.value(row);
        if (value === null) return null;
        return c.isDate ? new Date(`${value}T00:00:00Z`) : neutraliseFormula(value);
      }),
    );
  }
  partnerListColumns.forEach((c, i) => {
    if (c.isDate) sheet.getColumn(i + 1).numFmt = 'dd/mm/yyyy';
    else sheet.getColumn(i + 1).numFmt = '@';
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: partnerListColumns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
