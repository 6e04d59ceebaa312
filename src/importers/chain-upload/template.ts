import ExcelJS from 'exceljs';
import { columnsOf, type UploadKind } from './columns.js';

const titles: Record<UploadKind, string> = {
  'training-sessions': 'Sessions de formation et candidats',
  'assessment-results': "Résultats d'évaluation",
};

/**
 * The blank template of an upload as an XLSX workbook: sheet « Données » with the header row to fill, and
 * sheet « Aide » describing each column (required or not, what to write, an example).
 */
export async function templateXlsx(kind: UploadKind): Promise<Buffer> {
  const columns = columnsOf[kind];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Habilis';
  const data = workbook.addWorksheet('Données');
  data.addRow(columns.map((c) => c.header));
  data.getRow(1).font = { bold: true };
  data.views = [{ state: 'frozen', ySplit: 1 }];
  columns.forEach((c, i) => {
    data.getColumn(i + 1).width = Math.max(14, c.header.length + 4);
    // Dates and INSEE codes stay text: Excel would otherwise turn 01053 into 1053.
    data.getColumn(i + 1).numFmt = '@';
  });
  const help = workbook.addWorksheet('Aide');
  help.addRow([titles[kind]]).font = { bold: true, size: 14 };
  help.addRow([]);
  help.addRow(['Colonne', 'Obligatoire', 'Contenu', 'Exemple']).font = { bold: true };
  for (const c of columns) help.addRow([c.header, c.required ? 'oui' : 'non', c.description, c.example]);
  help.getColumn(1).width = 22;
  help.getColumn(2).width = 12;
  help.getColumn(3).width = 90;
  help.getColumn(4).width = 30;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The blank template as CSV: UTF-8 with its byte-order mark (so Excel reads the accents), `;`, the header line. */
export function templateCsv(kind: UploadKind): Buffer {
  return Buffer.from(`\uFEFF${columnsOf[kind].map((c) => c.header).join(';')}\r\n`, 'utf8');
}
