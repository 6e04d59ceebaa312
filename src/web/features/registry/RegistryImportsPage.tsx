import { Anchor, Badge, Group, Paper, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { registry, reports } from '../../../core/contracts/index.js';
import type { ImportRunView } from '../../../core/registry/registry.schema.js';
import { call } from '../../api/client.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { Pager } from '../../components/Pager.js';
import { formatDateTime, formatNumber } from '../../i18n/format.js';
import { useUrlFilters } from '../network/use-url-filters.js';
import { RegistryHeader } from './RegistryTabs.js';

const PAGE_SIZE = 25;

export const runStatusColors: Record<ImportRunView['status'], string> = {
  running: 'blue',
  changed: 'teal',
  unchanged: 'gray',
};

/** The imports of France Compétences exports, newest first; each opens its summary and its changes. */
export function RegistryImportsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { update, page } = useUrlFilters();
  const query = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const list = useQuery({
    queryKey: ['registry', 'runs', query],
    queryFn: () => call(registry.listRegistryImportRuns, { query }),
    placeholderData: keepPreviousData,
  });
  const count = (v: unknown) => formatNumber(typeof v === 'number' ? v : 0, i18n.language);
  return (
    <>
      <RegistryHeader section="imports" />
      <Group justify="flex-end" mb="md">
        <ExportButton path={reports.exportRegistryImportRuns.path} query={query} />
      </Group>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={860}>
            <Table highlightOnHover aria-label={t('registry.tabs.imports')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th>{t('registry.runs.columns.startedAt')}</Table.Th>
                  <Table.Th>{t('registry.runs.columns.file')}</Table.Th>
                  <Table.Th>{t('registry.runs.columns.by')}</Table.Th>
                  <Table.Th>{t('registry.runs.columns.fiches')}</Table.Th>
                  <Table.Th>{t('registry.runs.columns.changes')}</Table.Th>
                  <Table.Th>{t('registry.runs.columns.rejected')}</Table.Th>
                  <Table.Th>{t('registry.runs.columns.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((run) => {
                  const changes = (run.summary.changes ?? {}) as Record<string, unknown>;
                  return (
                    <Table.Tr
                      key={run.id}
                      style={{ cursor: 'pointer' }}
                      onClick={() => navigate(`/registry/imports/${run.id}`)}
                    >
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Anchor
                          component={Link}
                          to={`/registry/imports/${run.id}`}
                          onClick={(e) => e.stopPropagation()}
                        >
                          {formatDateTime(run.startedAt, i18n.language)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ wordBreak: 'break-all' }}>
                          {run.fileName}
                        </Text>
                      </Table.Td>
                      <Table.Td>{run.actorLabel}</Table.Td>
                      <Table.Td>{count(run.summary.certifications)}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {t('registry.runs.changesSummary', {
                          new: count(changes.newFiches),
                          changed: count(changes.changedFiches),
                        })}
                      </Table.Td>
                      <Table.Td>{count(run.rejectedCount)}</Table.Td>
                      <Table.Td>
                        <Badge color={runStatusColors[run.status]} variant="light" radius="sm">
                          {t(`registry.runs.status.${run.status}`)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed" ta="center" py="xl">
                        {t('registry.runs.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            total={list.data.total}
            limit={PAGE_SIZE}
            page={page}
            onPage={(p) => update({ page: p > 1 ? String(p) : null }, false)}
          />
        </Paper>
      )}
    </>
  );
}
