import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IconChevronDown } from './icons.js';

export type ExportFormat = 'csv' | 'xlsx';

/**
 * The address of a list export: the list's own query (its filters and sort) without paging, plus the format.
 * Empty values are left out so the server applies the same defaults as for the list.
 */
export function exportHref(
  path: string,
  query: Readonly<Record<string, unknown>>,
  format: ExportFormat,
  language?: string,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === 'limit' || key === 'offset' || value === undefined || value === null || value === '')
      continue;
    search.set(key, String(value));
  }
  search.set('format', format);
  // The file speaks the screen's language: titles and the labels of codes, as on screen.
  if (language) search.set('lang', language.startsWith('en') ? 'en' : 'fr');
  return `${path}?${search.toString()}`;
}

/**
 * "Exporter" menu (CSV / XLSX) for a list page's header: downloads every row of the list with the filters the
 * page shows, in the screen's language, from the export endpoint `path` (`/api/reports/exports/…`), which applies the list's own
 * permission and partner scope.
 */
export function ExportButton({ path, query }: { path: string; query: Readonly<Record<string, unknown>> }) {
  const { t, i18n } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" rightSection={<IconChevronDown size={14} />}>
          {t('listExport.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('listExport.hint')}</Menu.Label>
        <Menu.Item component="a" href={exportHref(path, query, 'csv', i18n.language)} download>
          {t('listExport.csv')}
        </Menu.Item>
        <Menu.Item component="a" href={exportHref(path, query, 'xlsx', i18n.language)} download>
          {t('listExport.xlsx')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
