import { Anchor, Button, Checkbox, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { findings, reports } from '../../../core/contracts/index.js';
import { severities } from '../../../core/findings/finding.schema.js';
import { findingStatuses } from '../../../core/findings/finding-status.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDate } from '../../i18n/format.js';
import { today } from '../network/parts.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { FindingStatusBadge, SeverityBadge, StepError } from './parts.js';

const PAGE_SIZE = 25;
const uuidLike = /^[0-9a-f-]{36}$/i;

/** Findings of the network (a partner: about its own organisation), live first by default. */
export function FindingListPage() {
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  const queryClient = useQueryClient();
  const isPartner = session?.user.role === 'partner';
  const { params, update, page } = useUrlFilters();
  const status = oneOf(findingStatuses, params.get('status'));
  const severity = oneOf(severities, params.get('severity'));
  const live = params.get('all') === null;
  const controlId = uuidLike.test(params.get('control') ?? '')
    ? (params.get('control') ?? undefined)
    : undefined;
  const organisationId = uuidLike.test(params.get('organisation') ?? '')
    ? (params.get('organisation') ?? undefined)
    : undefined;
  const query = {
    status,
    severity,
    controlId,
    organisationId,
    live: live && !status ? ('true' as const) : undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: ['findings', 'list', query],
    queryFn: () => call(findings.listFindings, { query }),
    placeholderData: keepPreviousData,
  });
  const remind = useMutation({
    mutationFn: () => call(findings.runFindingReminders),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: ['findings'] });
      notifications.show({
        color: 'teal',
        message: t('quality.findings.remindersDone', { reminded: r.reminded, escalated: r.escalated }),
      });
    },
  });
  const day = today();

  return (
    <>
      <PageHeader
        title={t('quality.findings.title')}
        subtitle={isPartner ? t('quality.findings.partnerSubtitle') : t('quality.findings.subtitle')}
        actions={
          <Group gap="xs">
            <ExportButton path={reports.exportFindings.path} query={query} />
            <Button component={Link} to="/sanctions" variant="default">
              {t('quality.findings.sanctions')}
            </Button>
            {can('finding.manage') && (
              <Button variant="light" onClick={() => remind.mutate()} loading={remind.isPending}>
                {t('quality.findings.runReminders')}
              </Button>
            )}
          </Group>
        }
      />
      <StepError error={remind.error} />
      <Paper withBorder p="md" mb="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <Select
            label={t('quality.findings.filterStatus')}
            placeholder={t('quality.findings.anyStatus')}
            data={findingStatuses.map((s) => ({ value: s, label: t(`quality.findingStatus.${s}`) }))}
            value={status ?? null}
            onChange={(v) => update({ status: v })}
            clearable
            w={220}
          />
          <Select
            label={t('quality.findings.filterSeverity')}
            placeholder={t('quality.findings.anySeverity')}
            data={severities.map((s) => ({ value: s, label: t(`quality.severity.${s}`) }))}
            value={severity ?? null}
            onChange={(v) => update({ severity: v })}
            clearable
            w={200}
          />
          <Checkbox
            label={t('quality.findings.liveOnly')}
            checked={live}
            onChange={(e) => update({ all: e.currentTarget.checked ? null : '1' })}
            mb={8}
          />
        </Group>
      </Paper>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={760}>
            <Table aria-label={t('quality.findings.title')} highlightOnHover>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th>{t('quality.findings.columns.title')}</Table.Th>
                  {!isPartner && <Table.Th>{t('quality.findings.columns.partner')}</Table.Th>}
                  <Table.Th>{t('quality.findings.columns.severity')}</Table.Th>
                  <Table.Th>{t('quality.findings.columns.status')}</Table.Th>
                  <Table.Th>{t('quality.findings.columns.opened')}</Table.Th>
                  <Table.Th>{t('quality.findings.columns.due')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((f) => {
                  const late =
                    f.status === 'action_requested' && f.actionDueOn !== null && f.actionDueOn < day;
                  return (
                    <Table.Tr key={f.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/findings/${f.id}`} size="sm" fw={500}>
                          {f.title}
                        </Anchor>
                      </Table.Td>
                      {!isPartner && (
                        <Table.Td>
                          <Text size="sm">{f.organisationName ?? t('quality.finding.network')}</Text>
                        </Table.Td>
                      )}
                      <Table.Td>
                        <SeverityBadge severity={f.severity} />
                      </Table.Td>
                      <Table.Td>
                        <FindingStatusBadge status={f.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(f.openedAt.slice(0, 10), i18n.language)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={0}>
                          <Text size="sm">{formatDate(f.actionDueOn, i18n.language)}</Text>
                          {late && (
                            <Text size="xs" c="red" fw={600}>
                              {t('quality.findings.late')}
                            </Text>
                          )}
                        </Stack>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text c="dimmed" ta="center" py="lg">
                        {t('quality.findings.empty')}
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
