import {
  Badge,
  Card,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { registry, reports } from '../../../core/contracts/index.js';
import { ficheChangeKinds } from '../../../core/registry/registry.schema.js';
import { call } from '../../api/client.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDateTime } from '../../i18n/format.js';
import { fileSize } from '../evidence/evidence-upload.js';
import { InfoItem } from '../network/parts.js';
import { ChangeTable } from './ChangeTable.js';
import { ImportSummaryGrid } from './ImportSummaryGrid.js';
import { runStatusColors } from './RegistryImportsPage.js';

const PAGE_SIZE = 50;
type Kind = (typeof ficheChangeKinds)[number];

function RunChanges({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [kind, setKind] = useState<Kind | null>(null);
  const [code, setCode] = useState('');
  const [debouncedCode] = useDebouncedValue(code.trim(), 300);
  const query = {
    kind: kind ?? undefined,
    code: debouncedCode || undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const changes = useQuery({
    queryKey: ['registry', 'run-changes', runId, query],
    queryFn: () => call(registry.listRegistryImportRunChanges, { params: { id: runId }, query }),
    placeholderData: keepPreviousData,
  });
  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <Group p="md" justify="space-between" align="flex-end" wrap="wrap">
        <Title order={4}>{t('registry.runs.changes')}</Title>
        <Group gap="sm" align="flex-end">
          <TextInput
            label={t('registry.changes.ficheFilter')}
            placeholder="RNCP35419"
            value={code}
            onChange={(e) => {
              setCode(e.currentTarget.value);
              setPage(1);
            }}
            w={180}
            type="search"
          />
          <Select
            label={t('registry.changes.kindFilter')}
            placeholder={t('registry.changes.allKinds')}
            value={kind}
            onChange={(v) => {
              setKind(v as Kind | null);
              setPage(1);
            }}
            clearable
            w={240}
            data={ficheChangeKinds.map((k) => ({ value: k, label: t(`registry.changes.kinds.${k}`) }))}
          />
          <ExportButton
            path={reports.exportRegistryImportRunChanges.path.replace(':id', runId)}
            query={query}
          />
        </Group>
      </Group>
      {changes.error && <ErrorAlert error={changes.error} onRetry={() => void changes.refetch()} />}
      {changes.isPending && !changes.error && <PageLoader />}
      {changes.data && (
        <>
          <ChangeTable
            items={changes.data.items}
            showFiche
            showDate={false}
            label={t('registry.runs.changes')}
          />
          <Pager total={changes.data.total} limit={PAGE_SIZE} page={page} onPage={setPage} />
        </>
      )}
    </Paper>
  );
}

/** One import: the file, its figures, its rejected lines and unknown elements, and what it changed. */
export function RegistryImportRunPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const run = useQuery({
    queryKey: ['registry', 'run', id],
    queryFn: () => call(registry.getRegistryImportRun, { params: { id } }),
  });
  if (run.isPending) return <PageLoader />;
  if (run.error) return <ErrorAlert error={run.error} onRetry={() => void run.refetch()} />;
  const r = run.data;
  const size = fileSize(r.sizeBytes, i18n.language);
  const unknown = Object.entries(r.unknownElements);

  return (
    <>
      <PageHeader
        title={t('registry.runs.detailTitle', { date: formatDateTime(r.startedAt, i18n.language) })}
        badges={
          <Badge color={runStatusColors[r.status]} variant="light" size="md" radius="sm">
            {t(`registry.runs.status.${r.status}`)}
          </Badge>
        }
        back={{ to: '/registry/imports', label: t('registry.runs.back') }}
      />
      <Stack gap="md">
        <Card withBorder padding="lg">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="lg">
            <InfoItem label={t('registry.runs.file')}>{r.fileName}</InfoItem>
            <InfoItem label={t('registry.runs.entry')}>{r.entryName}</InfoItem>
            <InfoItem label={t('registry.runs.format')}>{r.format.toUpperCase()}</InfoItem>
            <InfoItem label={t('registry.runs.flowVersion')}>{r.flowVersion}</InfoItem>
            <InfoItem label={t('registry.runs.size')}>
              {t(`registry.upload.sizes.${size.unit}`, { value: size.value })}
            </InfoItem>
            <InfoItem label={t('registry.runs.columns.by')}>{r.actorLabel}</InfoItem>
            <InfoItem label={t('registry.runs.finishedAt')}>
              {r.finishedAt && formatDateTime(r.finishedAt, i18n.language)}
            </InfoItem>
            <InfoItem label={t('registry.runs.certifierSiret')}>{r.certifierSiret}</InfoItem>
          </SimpleGrid>
          <Stack gap={2} mt="lg">
            <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
              {t('registry.runs.sha256')}
            </Text>
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {r.sha256}
            </Text>
          </Stack>
        </Card>
        <ImportSummaryGrid summary={{ ...r.summary, rejectedCount: r.rejectedCount }} />
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <Paper withBorder p="lg">
            <Title order={4} mb="sm">
              {t('registry.runs.rejects')}
            </Title>
            {r.rejected.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('registry.runs.noRejects')}
              </Text>
            ) : (
              <>
                <Table.ScrollContainer minWidth={420} mah={360}>
                  <Table aria-label={t('registry.runs.rejects')}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('registry.runs.rejectColumns.line')}</Table.Th>
                        <Table.Th>{t('registry.runs.rejectColumns.code')}</Table.Th>
                        <Table.Th>{t('registry.runs.rejectColumns.message')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {r.rejected.map((x, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: rejects are a fixed list in file order
                        <Table.Tr key={i}>
                          <Table.Td>{x.column === undefined ? x.line : `${x.line}:${x.column}`}</Table.Td>
                          <Table.Td ff="monospace">{x.code}</Table.Td>
                          <Table.Td>{x.message}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                {r.rejectedCount > r.rejected.length && (
                  <Text size="sm" c="dimmed" mt="xs">
                    {t('registry.runs.rejectsMore', { shown: r.rejected.length, count: r.rejectedCount })}
                  </Text>
                )}
              </>
            )}
          </Paper>
          <Paper withBorder p="lg">
            <Title order={4} mb="sm">
              {t('registry.runs.unknownElements')}
            </Title>
            {unknown.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('registry.runs.noUnknownElements')}
              </Text>
            ) : (
              <Stack gap={4}>
                {unknown.map(([path, count]) => (
                  <Group key={path} justify="space-between">
                    <Text size="sm" ff="monospace">
                      {path}
                    </Text>
                    <Text size="sm">{count}</Text>
                  </Group>
                ))}
              </Stack>
            )}
          </Paper>
        </SimpleGrid>
        <RunChanges runId={r.id} />
      </Stack>
    </>
  );
}
