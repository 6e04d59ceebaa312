import ExcelJS from 'exceljs';
import type { NetworkRow } from '../../core/network/network.schema.js';
import { regionName } from '../../core/network/regions.js';
import { neutraliseFormula } from '../fc-declarations/partner-list.js';

/**
 * The network list as the certifier filtered it, as CSV (for any tool) and XLSX (for people). French column
 * titles, the same conventions as the France Compétences declaration export (BOM, `;`, CRLF, ISO dates).
 */

interface Column {
  title: string;
  value(row: NetworkRow): string | number | null;
  isDate?: boolean;
  width: number;
}

const qualiopiLabels: Record<NetworkRow['qualiopiStatus'], string> = {
  certified: 'Certifié',
  not_certified: 'Non certifié',
  lapsed: 'Échu',
  unknown: 'Inconnu',
};
const riskLabels = { low: 'Faible', medium: 'Moyen', high: 'Élevé' } as const;

export const networkListColumns: readonly Column[] = [
  { title: 'SIRET', value: (r) => r.siret, width: 17 },
  { title: 'Raison sociale', value: (r) => r.legalName, width: 40 },
  { title: 'Nom commercial', value: (r) => r.tradeName, width: 28 },
  { title: 'NDA', value: (r) => r.nda, width: 14 },
  { title: 'Code postal', value: (r) => r.postalCode, width: 11 },
  { title: 'Ville', value: (r) => r.city, width: 22 },
  { title: 'Région', value: (r) => regionName(r.regionCode), width: 26 },
  { title: 'Qualiopi', value: (r) => qualiopiLabels[r.qualiopiStatus], width: 14 },
  { title: 'Qualiopi valable jusqu’au', value: (r) => r.qualiopiExpiresOn, isDate: true, width: 14 },
  { title: 'Habilitations', value: (r) => r.habilitationCount, width: 12 },
  { title: 'Habilitations en vigueur', value: (r) => r.activeHabilitationCount, width: 14 },
  { title: 'Habilitations suspendues', value: (r) => r.suspendedHabilitationCount, width: 14 },
  { title: 'Risque', value: (r) => (r.risk ? riskLabels[r.risk.level] : null), width: 10 },
  { title: 'Score de risque', value: (r) => r.risk?.score ?? null, width: 10 },
  { title: 'Archivé le', value: (r) => r.archivedAt?.slice(0, 10) ?? null, isDate: true, width: 12 },
];

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value).replace('.', ',');
  const safe = neutraliseFormula(value);
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 with a byte-order mark, `;` between fields, CRLF, decimal commas: how French spreadsheets open CSV. */
export function networkListCsv(rows: readonly NetworkRow[]): string {
  const lines = [networkListColumns.map((c) => csvField(c.title)).join(';')];
  for (const row of rows) lines.push(networkListColumns.map((c) => csvField(c.value(row))).join(';'));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** One sheet, bold frozen header with filters, dates as dates, SIRET and postal codes kept as text. */
export async function networkListXlsx(rows: readonly NetworkRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Habilis';
  workbook.created = new Date(Date.UTC(2000, 0, 1));
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Réseau', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = networkListColumns.map((c) => ({ header: c.title, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows)
    sheet.addRow(
      networkListColumns.map((c) => {
        const value = c.value(row);
        if (value === null) return null;
        if (c.isDate && typeof value === 'string') return new Date(`${value}T00:00:00Z`);
        return typeof value === 'string' ? neutraliseFormula(value) : value;
      }),
    );
  networkListColumns.forEach((c, i) => {
    if (c.isDate) sheet.getColumn(i + 1).numFmt = 'dd/mm/yyyy';
    else if (i < 7) sheet.getColumn(i + 1).numFmt = '@';
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: networkListColumns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
