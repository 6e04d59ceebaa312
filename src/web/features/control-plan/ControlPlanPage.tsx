import { Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ControlPlanEntryView } from '../../../core/contracts/control-plans.js';
import { controlPlans, reports } from '../../../core/contracts/index.js';
import { planDepths } from '../../../core/controls/plan.js';
import { riskLevels } from '../../../core/risk/risk-score.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDate } from '../../i18n/format.js';
import { DateField, today } from '../network/parts.js';

const PAGE_SIZE = 50;
const auditKinds = [
  'documentary',
  'on_site',
  'observation',
  'mystery_shop',
  'communication_review',
  'self_assessment',
] as const;
const levelColor = { low: 'teal', medium: 'orange', high: 'red' } as const;

/** One entry of a draft plan: kind, depth and date editable in place, removable. */
function EntryRow({
  entry,
  planId,
  year,
  editable,
}: {
  entry: ControlPlanEntryView;
  planId: string;
  year: number;
  editable: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const adjust = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      call(controlPlans.adjustControlPlanEntry, { params: { id: planId, entryId: entry.id }, body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['control-plans'] }),
    onError: (error) => notifications.show({ color: 'red', message: error.message }),
  });
  return (
    <Table.Tr style={entry.removed ? { opacity: 0.5, textDecoration: 'line-through' } : undefined}>
      <Table.Td w={170}>
        {editable && !entry.removed ? (
          <DateField
            label=""
            value={entry.plannedOn}
            onChange={(v) => {
              if (v?.startsWith(String(year))) adjust.mutate({ plannedOn: v });
            }}
          />
        ) : (
          <Text size="sm">{formatDate(entry.plannedOn, i18n.language)}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {entry.legalName}
        </Text>
        <Text size="xs" c="dimmed">
          {entry.siret}
        </Text>
      </Table.Td>
      <Table.Td>
        {entry.riskLevel && (
          <Badge color={levelColor[entry.riskLevel]} variant="light">
            {t(`controlPlan.levels.${entry.riskLevel}`)} · {entry.riskScore?.toFixed(1)}
          </Badge>
        )}
      </Table.Td>
      <Table.Td w={220}>
        {editable && !entry.removed ? (
          <Select
            aria-label={t('controlPlan.columns.kind')}
            data={auditKinds.map((k) => ({ value: k, label: t(`quality.kinds.${k}`) }))}
            value={entry.kind}
            onChange={(v) => v && adjust.mutate({ kind: v })}
            allowDeselect={false}
          />
        ) : (
          <Text size="sm">{t(`quality.kinds.${entry.kind}`)}</Text>
        )}
      </Table.Td>
      <Table.Td w={150}>
        {editable && !entry.removed ? (
          <Select
            aria-label={t('controlPlan.columns.depth')}
            data={planDepths.map((d) => ({ value: d, label: t(`controlPlan.depths.${d}`) }))}
            value={entry.depth}
            onChange={(v) => v && adjust.mutate({ depth: v })}
            allowDeselect={false}
          />
        ) : (
          <Text size="sm">{t(`controlPlan.depths.${entry.depth}`)}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs" c="dimmed">
          {entry.reason}
        </Text>
        {entry.note && <Text size="xs">{entry.note}</Text>}
      </Table.Td>
      <Table.Td ta="right">
        {editable && (
          <Button
            size="xs"
            variant="subtle"
            color={entry.removed ? 'blue' : 'red'}
            loading={adjust.isPending}
            onClick={() => adjust.mutate({ removed: !entry.removed })}
          >
            {entry.removed ? t('controlPlan.restore') : t('controlPlan.remove')}
          </Button>
        )}
        {!editable && entry.controlStatus && (
          <Text size="xs">{t(`quality.controlStatus.${entry.controlStatus as 'planned'}`)}</Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * The plan de contrôle of a year: propose it from the risk scores, review and adjust the draft (date, kind,
 * depth, removal), then commit it into planned controls.
 */
export function ControlPlanPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const thisYear = Number(today().slice(0, 4));
  const [year, setYear] = useState(thisYear + 1);
  const [level, setLevel] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const plans = useQuery({
    queryKey: ['control-plans', 'list'],
    queryFn: () => call(controlPlans.listControlPlans),
  });
  const plan = plans.data?.items.find((p) => p.year === year);
  const query = {
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    includeRemoved: 'true',
    ...(level ? { level } : {}),
  } as const;
  const view = useQuery({
    queryKey: ['control-plans', plan?.id, query],
    queryFn: () => call(controlPlans.getControlPlan, { params: { id: plan!.id }, query: query as never }),
    enabled: plan !== undefined,
    placeholderData: keepPreviousData,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['control-plans'] });
  const propose = useMutation({
    mutationFn: (replace: boolean) => call(controlPlans.proposeControlPlan, { body: { year, replace } }),
    onSuccess: () => {
      refresh();
      notifications.show({ color: 'teal', message: t('controlPlan.proposed') });
    },
    onError: (error) => notifications.show({ color: 'red', message: error.message }),
  });
  const commit = useMutation({
    mutationFn: () => call(controlPlans.commitControlPlan, { params: { id: plan!.id } }),
    onSuccess: () => {
      refresh();
      void queryClient.invalidateQueries({ queryKey: ['controls'] });
      notifications.show({ color: 'teal', message: t('controlPlan.committed') });
    },
    onError: (error) => notifications.show({ color: 'red', message: error.message }),
  });
  const manage = can('control.manage');
  const editable = manage && plan?.status === 'draft';
  const [asking, setAsking] = useState<{ title: string; body: string; onConfirm: () => void } | null>(null);
  const confirm = (title: string, body: string, onConfirm: () => void) =>
    setAsking({ title, body, onConfirm });

  return (
    <>
      <Modal opened={asking !== null} onClose={() => setAsking(null)} title={asking?.title}>
        <Text size="sm">{asking?.body}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setAsking(null)}>
            {t('controlPlan.cancel')}
          </Button>
          <Button
            onClick={() => {
              asking?.onConfirm();
              setAsking(null);
            }}
          >
            {t('controlPlan.confirm')}
          </Button>
        </Group>
      </Modal>
      <PageHeader
        title={t('controlPlan.title')}
        subtitle={t('controlPlan.subtitle')}
        actions={
          <Group>
            <Select
              aria-label={t('controlPlan.year')}
              data={[thisYear, thisYear + 1, thisYear + 2].map((y) => ({
                value: String(y),
                label: String(y),
              }))}
              value={String(year)}
              onChange={(v) => {
                if (v) setYear(Number(v));
                setPage(1);
              }}
              allowDeselect={false}
              w={110}
            />
            {plan && (
              // The entries the page lists (removed ones included, the risk-level filter applied), all pages.
              <ExportButton
                path={reports.exportControlPlan.path.replace(':id', plan.id)}
                query={{ includeRemoved: 'true', level }}
              />
            )}
            {manage && !plan && (
              <Button loading={propose.isPending} onClick={() => propose.mutate(false)}>
                {t('controlPlan.propose', { year })}
              </Button>
            )}
            {editable && (
              <>
                <Button
                  variant="default"
                  loading={propose.isPending}
                  onClick={() =>
                    confirm(t('controlPlan.reproposeTitle'), t('controlPlan.reproposeBody'), () =>
                      propose.mutate(true),
                    )
                  }
                >
                  {t('controlPlan.repropose')}
                </Button>
                <Button
                  loading={commit.isPending}
                  onClick={() =>
                    confirm(
                      t('controlPlan.commitTitle', { year }),
                      t('controlPlan.commitBody', { count: plan?.entries ?? 0 }),
                      () => commit.mutate(),
                    )
                  }
                >
                  {t('controlPlan.commit')}
                </Button>
              </>
            )}
          </Group>
        }
      />
      {plans.error && <ErrorAlert error={plans.error} onRetry={() => void plans.refetch()} />}
      {plans.isPending && <PageLoader />}
      {plans.data && !plan && (
        <Paper withBorder p="lg">
          <Text c="dimmed">{t('controlPlan.none', { year })}</Text>
        </Paper>
      )}
      {plan && (
        <Stack>
          <Paper withBorder p="md">
            <Group gap="lg" wrap="wrap">
              <Badge size="lg" color={plan.status === 'committed' ? 'teal' : 'gray'}>
                {t(`controlPlan.status.${plan.status}`)}
              </Badge>
              <Text size="sm">
                {t('controlPlan.summary', { entries: plan.entries, partners: plan.partners })}
              </Text>
              {Object.entries(plan.byKind).map(([k, n]) => (
                <Text size="sm" key={k}>
                  {t(`quality.kinds.${k as (typeof auditKinds)[number]}`)} : {n}
                </Text>
              ))}
              {plan.status === 'committed' && (
                <Text size="sm">{t('controlPlan.progress', { done: plan.done, entries: plan.entries })}</Text>
              )}
              <Select
                aria-label={t('controlPlan.filterLevel')}
                placeholder={t('controlPlan.anyLevel')}
                data={riskLevels.map((l) => ({ value: l, label: t(`controlPlan.levels.${l}`) }))}
                value={level}
                onChange={(v) => {
                  setLevel(v);
                  setPage(1);
                }}
                clearable
                w={180}
              />
            </Group>
          </Paper>
          {view.error && <ErrorAlert error={view.error} onRetry={() => void view.refetch()} />}
          {view.data && (
            <Paper withBorder style={{ overflow: 'hidden' }}>
              <Table.ScrollContainer minWidth={900}>
                <Table aria-label={t('controlPlan.title')}>
                  <Table.Thead bg="var(--mantine-color-gray-0)">
                    <Table.Tr>
                      <Table.Th>{t('controlPlan.columns.date')}</Table.Th>
                      <Table.Th>{t('controlPlan.columns.partner')}</Table.Th>
                      <Table.Th>{t('controlPlan.columns.risk')}</Table.Th>
                      <Table.Th>{t('controlPlan.columns.kind')}</Table.Th>
                      <Table.Th>{t('controlPlan.columns.depth')}</Table.Th>
                      <Table.Th>{t('controlPlan.columns.reason')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {view.data.entries.items.map((e) => (
                      <EntryRow
                        key={e.id}
                        entry={e}
                        planId={plan.id}
                        year={year}
                        editable={editable === true}
                      />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )}
          {view.data && (
            <Pager total={view.data.entries.total} limit={PAGE_SIZE} page={page} onPage={setPage} />
          )}
        </Stack>
      )}
    </>
  );
}
