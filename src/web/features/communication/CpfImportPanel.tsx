import { Alert, Button, FileInput, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CpfImportSummary, CpfRejectedRow } from '../../../core/contracts/cpf-offers.js';
import { isApiError } from '../../api/client.js';
import { useSignedIn } from '../../app/session.js';
import { errorMessage } from '../../components/feedback.js';
import { IconAlert, IconCheck } from '../../components/icons.js';
import { formatDate, formatNumber } from '../../i18n/format.js';
import { refusalPlace, uploadCpfCatalogue } from './cpf-upload.js';
import type { communicationFr } from './messages.fr.js';

/** Rejected rows (or warnings) with their line, column, code and message: nothing is dropped silently. */
export function RejectedRowsTable({ rows, label }: { rows: readonly CpfRejectedRow[]; label: string }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={label} striped fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('communication.rejected.line')}</Table.Th>
            <Table.Th>{t('communication.rejected.column')}</Table.Th>
            <Table.Th>{t('communication.rejected.code')}</Table.Th>
            <Table.Th>{t('communication.rejected.message')}</Table.Th>
            <Table.Th>{t('communication.rejected.key')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: one line can carry several issues
            <Table.Tr key={`${r.line}-${r.code}-${i}`}>
              <Table.Td>{r.line}</Table.Td>
              <Table.Td>{r.column ?? '—'}</Table.Td>
              <Table.Td>
                <code>{r.code}</code>
              </Table.Td>
              <Table.Td>{r.message}</Table.Td>
              <Table.Td>{r.key ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The figures of one import, as a grid of labelled numbers. */
export function ImportFigures({ summary }: { summary: CpfImportSummary }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const items: [keyof typeof communicationFr.upload.summary, string][] = [
    ['extractedOn', formatDate(summary.extractedOn, i18n.language)],
    ['rows', n(summary.rows)],
    ['offers', n(summary.offers)],
    ['matched', n(summary.matched)],
    ['new', n(summary.changes.new)],
    ['changed', n(summary.changes.changed)],
    ['gone', n(summary.changes.gone)],
    ['unchanged', n(summary.changes.unchanged)],
    ['opened', n(summary.findingChanges.opened)],
    ['updated', n(summary.findingChanges.updated)],
    ['resolved', n(summary.findingChanges.resolved)],
    ['rejected', n(summary.rejected.length)],
    ['warnings', n(summary.warnings)],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
      {items.map(([key, value]) => (
        <Stack gap={0} key={key}>
          <Text size="xs" c="dimmed">
            {t(`communication.upload.summary.${key}`)}
          </Text>
          <Text fw={600}>{value}</Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}

/**
 * Upload of the CPF catalogue: the file goes to the server, which imports and checks it in one
 * transaction; the answer is the import's figures and every rejected row, or the reason the file was
 * refused (file, line, column), nothing having been written.
 */
export function CpfImportPanel() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: ({ f, force }: { f: File; force: boolean }) =>
      uploadCpfCatalogue(f, session.csrfToken, force),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['cpf-offers'] }),
  });

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFileError(file ? null : t('communication.upload.fileRequired'));
    if (file) upload.mutate({ f: file, force: false });
  };

  const summary = upload.data;
  const place = refusalPlace(upload.error);
  return (
    <Paper withBorder p="lg">
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <Title order={3}>{t('communication.upload.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('communication.upload.lead')}
          </Text>
          <Group align="flex-end">
            <FileInput
              label={t('communication.upload.file')}
              placeholder={t('communication.upload.filePlaceholder')}
              accept=".csv,.json,.txt,text/csv,application/json"
              value={file}
              onChange={(f) => {
                setFile(f);
                setFileError(null);
                upload.reset();
              }}
              error={fileError}
              clearable
              style={{ flex: 1, minWidth: 260 }}
            />
            <Button type="submit" loading={upload.isPending}>
              {t('communication.upload.submit')}
            </Button>
          </Group>
          {upload.isPending && (
            <Text size="sm" c="dimmed" role="status">
              {t('communication.upload.running')}
            </Text>
          )}
          {upload.isError && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlert />}
              title={t('communication.upload.refused')}
              role="alert"
            >
              <Stack gap={4}>
                <Text size="sm">{errorMessage(upload.error, t)}</Text>
                {isApiError(upload.error) && upload.error.detail && (
                  <Text size="sm" ff="monospace">
                    {upload.error.detail}
                  </Text>
                )}
                {place.partial && file && (
                  <Group>
                    <Button
                      size="xs"
                      color="red"
                      variant="white"
                      onClick={() => upload.mutate({ f: file, force: true })}
                    >
                      {t('communication.upload.force')}
                    </Button>
                  </Group>
                )}
                {place.line !== undefined && (
                  <Text size="sm">
                    {t('communication.rejected.line')} {place.line}
                    {place.column ? ` · ${t('communication.rejected.column')} ${place.column}` : ''}
                  </Text>
                )}
              </Stack>
            </Alert>
          )}
          {summary && (
            <Stack gap="md">
              <Alert color="teal" variant="light" icon={<IconCheck />} role="status">
                {t('communication.upload.done', {
                  count: summary.matched,
                  offers: formatNumber(summary.offers, i18n.language),
                })}
              </Alert>
              <ImportFigures summary={summary} />
              {summary.unknownColumns.length > 0 && (
                <Text size="sm" c="dimmed">
                  {t('communication.upload.unknownColumns', { columns: summary.unknownColumns.join(', ') })}
                </Text>
              )}
              <Text fw={600}>
                {summary.rejected.length === 0
                  ? t('communication.rejected.none')
                  : t('communication.rejected.title', { count: summary.rejected.length })}
              </Text>
              {summary.rejected.length > 0 && (
                <RejectedRowsTable
                  rows={summary.rejected}
                  label={t('communication.rejected.title', { count: summary.rejected.length })}
                />
              )}
            </Stack>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
