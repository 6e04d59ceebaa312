import ExcelJS from 'exceljs';
import { partnerColumns } from './columns.js';

/**
 * The template to fill: an XLSX workbook with the header row (required columns in bold, each header with
 * a note saying what it expects) and one example row, every cell as text so Excel keeps the zeros of a
 * SIRET. docs/partner-import.md explains each column.
 */
export async function partnerListTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Habilis';
  workbook.created = new Date(Date.UTC(2000, 0, 1));
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Partenaires', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = partnerColumns.map((c) => ({
    header: c.header,
    width: Math.max(14, c.header.length + 4, c.example.length + 2),
    style: { numFmt: '@' },
  }));
  partnerColumns.forEach((c, i) => {
    const cell = sheet.getRow(1).getCell(i + 1);
    cell.font = { bold: c.required };
    cell.note = c.required ? 'Obligatoire' : 'Facultatif';
  });
  sheet.addRow(partnerColumns.map((c) => c.example));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
