import { AppError } from '../core/errors.js';
import { type TableColumn, toCsv, toXlsx } from '../reports/tabular/tabular.js';
import type { ExportFile } from './declaration.service.js';
import { XLSX_MEDIA_TYPE } from './declaration.service.js';

/** A list export carries at most this many rows. */
export const LIST_EXPORT_LIMIT = 50_000;
const PAGE = 200;

export type ListExportFormat = 'csv' | 'xlsx';

/**
 * Exports any list of the UI to CSV or XLSX by paging through the list's own service method, so the export
 * gets exactly the rows the screen shows: the same filters, the same access check, the same partner scope
 * (a partner exports its own rows only). `columns` say what each column is; `caption` names the filters.
 *
 * @example
 *   exportList({ format: 'xlsx', fileStem: 'constats', sheetName: 'Constats', columns, query,
 *     page: (q) => services.findings.list(actor, q) })
 */
export async function exportList<Q extends { limit: number; offset: number }, T>(options: {
  format: ListExportFormat;
  fileStem: string;
  sheetName: string;
  columns: readonly TableColumn<T>[];
  query: Q;
  page(query: Q): Promise<{ items: T[]; total: number }>;
  caption?: readonly string[];
  day: string;
}): Promise<ExportFile> {
  const rows: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { items, total } = await options.page({ ...options.query, limit: PAGE, offset });
    if (total > LIST_EXPORT_LIMIT)
      throw new AppError(
        'validation_failed',
        `The list has ${total} rows, more than the ${LIST_EXPORT_LIMIT} an export carries: narrow the filters`,
        {
          fields: [{ field: 'limit', message: `at most ${LIST_EXPORT_LIMIT} rows` }],
        },
      );
    rows.push(...items);
    if (items.length < PAGE || rows.length >= total) break;
  }
  const fileName = `${options.fileStem}-${options.day}.${options.format}`;
  if (options.format === 'csv')
    return {
      fileName,
      mediaType: 'text/csv; charset=utf-8',
      content: Buffer.from(toCsv(options.columns, rows), 'utf8'),
      rows: rows.length,
    };
  const content = await toXlsx([
    {
      name: options.sheetName,
      columns: options.columns as readonly TableColumn<unknown>[],
      rows,
      ...(options.caption ? { caption: options.caption } : {}),
    },
  ]);
  return { fileName, mediaType: XLSX_MEDIA_TYPE, content, rows: rows.length };
}
