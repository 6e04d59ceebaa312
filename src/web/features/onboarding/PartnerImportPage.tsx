import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { PartnerImportResult } from '../../../core/onboarding/onboarding.schema.js';
import { useSession } from '../../app/session.js';
import { ErrorAlert } from '../../components/feedback.js';
import { IconAlert, IconCheck } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatSiret } from '../../i18n/format.js';
import { issuesOf, type ReportRow, reportRows, templateUrl, uploadPartnerList } from './onboarding-upload.js';

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Stack>
  );
}

function RowsTable({ rows }: { rows: readonly ReportRow[] }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table aria-label={t('networkList.import.rowsTitle')} verticalSpacing="xs">
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            <Table.Th w={70}>{t('networkList.import.columns.line')}</Table.Th>
            <Table.Th>{t('networkList.import.columns.organisation')}</Table.Th>
            <Table.Th>{t('networkList.import.columns.certification')}</Table.Th>
            <Table.Th>{t('networkList.import.columns.outcome')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.line} bg={row.issues.length ? 'var(--mantine-color-red-0)' : undefined}>
              <Table.Td ff="monospace">{row.line}</Table.Td>
              <Table.Td>
                {row.legalName && (
                  <Text size="sm" fw={500}>
                    {row.legalName}
                  </Text>
                )}
                {row.siret && (
                  <Text size="xs" c="dimmed" ff="monospace">
                    {formatSiret(row.siret)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ff="monospace" fz="sm">
                {row.certificationCode ?? t('common.none')}
              </Table.Td>
              <Table.Td>
                {row.issues.length > 0 ? (
                  <List size="sm" c="red.8" spacing={2}>
                    {row.issues.map((issue) => (
                      <List.Item key={`${issue.column}-${issue.message}`}>
                        <Text span fw={600} size="sm">
                          {issue.column}
                        </Text>{' '}
                        : {issue.message}
                      </List.Item>
                    ))}
                  </List>
                ) : row.organisation ? (
                  <Badge color={row.organisation === 'created' ? 'teal' : 'gray'} variant="light" radius="sm">
                    {t(`networkList.import.outcome.${row.organisation}`)}
                  </Badge>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Report({ result }: { result: PartnerImportResult }) {
  const { t } = useTranslation();
  const rows = reportRows(result);
  return (
    <Stack gap="md">
      {result.valid ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCheck />}
          title={t('networkList.import.validTitle')}
          role="status"
        >
          {result.dryRun ? t('networkList.import.validText') : t('networkList.import.doneText')}
        </Alert>
      ) : (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlert />}
          title={t('networkList.import.invalidTitle')}
          role="alert"
        >
          {t('networkList.import.invalidText', { count: result.errors.length })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label={t('networkList.import.figures.rows')} value={result.rows} />
        <Figure
          label={t(
            result.dryRun ? 'networkList.import.figures.toCreate' : 'networkList.import.figures.created',
          )}
          value={result.organisations.created}
        />
        <Figure label={t('networkList.import.figures.existing')} value={result.organisations.existing} />
        <Figure label={t('networkList.import.figures.habilitations')} value={result.habilitations.created} />
      </SimpleGrid>
      <Paper withBorder style={{ overflow: 'hidden' }}>
        <Title order={4} p="md" pb={0}>
          {t('networkList.import.rowsTitle')}
        </Title>
        <RowsTable rows={rows} />
      </Paper>
    </Stack>
  );
}

/**
 * Bulk onboarding: download the template, check a filled list (a dry run that reports every row's errors
 * and writes nothing), then import it in one go. The server refuses the whole list if anything changed
 * between the check and the import (docs/partner-import.md).
 */
export function PartnerImportPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const csrf = session?.csrfToken ?? '';

  const check = useMutation({ mutationFn: (f: File) => uploadPartnerList(f, true, csrf) });
  const run = useMutation({
    mutationFn: (f: File) => uploadPartnerList(f, false, csrf),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: ['organisations'] });
      void queryClient.invalidateQueries({ queryKey: ['habilitations'] });
      notifications.show({
        color: 'teal',
        message: t('networkList.import.done', { count: result.organisations.created }),
      });
    },
  });
  const chosen = (f: File | null) => {
    setFile(f);
    check.reset();
    run.reset();
  };
  const refusedIssues = issuesOf(run.error);
  const shown = run.data ?? check.data;

  return (
    <>
      <PageHeader
        title={t('networkList.import.title')}
        subtitle={t('networkList.import.subtitle')}
        back={{ to: '/organisations', label: t('organisations.detail.backToList') }}
      />
      <Stack gap="lg">
        <Paper withBorder p="lg">
          <Stack gap="sm">
            <Title order={4}>{t('networkList.import.step1')}</Title>
            <Text size="sm">{t('networkList.import.step1Text')}</Text>
            <Group>
              <Button component="a" href={templateUrl} download variant="light">
                {t('networkList.import.template')}
              </Button>
            </Group>
          </Stack>
        </Paper>
        <Paper withBorder p="lg">
          <Stack gap="sm">
            <Title order={4}>{t('networkList.import.step2')}</Title>
            <FileInput
              label={t('networkList.import.file')}
              description={t('networkList.import.fileHint')}
              placeholder={t('networkList.import.filePlaceholder')}
              accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              value={file}
              onChange={chosen}
              clearable
              maw={520}
            />
            <Group>
              <Button disabled={!file} loading={check.isPending} onClick={() => file && check.mutate(file)}>
                {t('networkList.import.check')}
              </Button>
              {check.data?.valid && !run.data && (
                <Button color="teal" loading={run.isPending} onClick={() => file && run.mutate(file)}>
                  {t('networkList.import.run', { count: check.data.rows })}
                </Button>
              )}
              {run.data && (
                <Anchor component={Link} to="/organisations">
                  {t('networkList.import.toList')}
                </Anchor>
              )}
            </Group>
          </Stack>
        </Paper>
        {check.error && <ErrorAlert error={check.error} />}
        {run.error && refusedIssues.length === 0 && <ErrorAlert error={run.error} />}
        {run.error && refusedIssues.length > 0 && check.data && (
          <Report result={{ ...check.data, valid: false, errors: refusedIssues }} />
        )}
        {shown && !(run.error && refusedIssues.length > 0) && <Report result={shown} />}
      </Stack>
    </>
  );
}
