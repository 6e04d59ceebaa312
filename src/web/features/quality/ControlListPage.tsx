import { Anchor, Button, Group, Modal, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { audits, controls, reports } from '../../../core/contracts/index.js';
import { type AuditKind, auditKinds } from '../../../core/controls/checklist.schema.js';
import { controlKinds, controlStatuses } from '../../../core/controls/control.schema.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDate } from '../../i18n/format.js';
import { DateField, today } from '../network/parts.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { OrganisationName } from '../organisations/OrganisationName.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { ControlStatusBadge, StepError } from './parts.js';

const PAGE_SIZE = 25;

function PlanAuditModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<AuditKind>('on_site');
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [plannedOn, setPlannedOn] = useState<string | null>(today());
  const templates = useQuery({
    queryKey: ['checklist-templates', kind],
    queryFn: () => call(audits.listChecklistTemplates, { query: { kind } }),
  });
  const chosen = templates.data?.items.find((x) => x.id === templateId) ?? templates.data?.items[0];
  const create = useMutation({
    mutationFn: () =>
      call(controls.createControl, {
        body: {
          kind,
          title: title.trim() || t(`quality.kinds.${kind}`),
          organisationId,
          plannedOn,
          checklistTemplateId: chosen?.id ?? null,
        },
      }),
    onSuccess: (control) => {
      void queryClient.invalidateQueries({ queryKey: ['controls'] });
      notifications.show({ color: 'teal', message: t('quality.controls.form.created') });
      onClose();
      navigate(`/controls/${control.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('quality.controls.form.title')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Select
            label={t('quality.controls.form.kind')}
            data={auditKinds.map((k) => ({ value: k, label: t(`quality.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => {
              if (v) setKind(v as AuditKind);
              setTemplateId(null);
            }}
            allowDeselect={false}
          />
          <Select
            label={t('quality.controls.form.template')}
            data={(templates.data?.items ?? []).map((x) => ({ value: x.id, label: x.title }))}
            value={chosen?.id ?? null}
            onChange={setTemplateId}
            description={
              chosen
                ? t('quality.controls.form.templateHint', { count: chosen.checkpoints.length })
                : undefined
            }
            allowDeselect={false}
          />
          <OrganisationPicker
            label={t('quality.controls.form.organisation')}
            value={organisationId}
            onChange={setOrganisationId}
            required
          />
          <TextInput
            label={t('quality.controls.form.label')}
            placeholder={t(`quality.kinds.${kind}`)}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <DateField label={t('quality.controls.form.plannedOn')} value={plannedOn} onChange={setPlannedOn} />
          <StepError error={create.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} disabled={!organisationId}>
              {t('quality.controls.form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The network's controls: planned audits and automated rule runs, filtered by kind and status. */
export function ControlListPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { params, update, page } = useUrlFilters();
  const [planning, setPlanning] = useState(false);
  const kind = oneOf(controlKinds, params.get('kind'));
  const status = oneOf(controlStatuses, params.get('status'));
  const query = { kind, status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } as const;
  const list = useQuery({
    queryKey: ['controls', 'list', query],
    queryFn: () => call(controls.listControls, { query }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title={t('quality.controls.title')}
        subtitle={t('quality.controls.subtitle')}
        actions={
          <Group gap="sm">
            <ExportButton path={reports.exportControls.path} query={query} />
            {can('control.manage') && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setPlanning(true)}>
                {t('quality.controls.plan')}
              </Button>
            )}
          </Group>
        }
      />
      <Paper withBorder p="md" mb="md">
        <Group gap="md" wrap="wrap">
          <Select
            label={t('quality.controls.filterKind')}
            placeholder={t('quality.controls.anyKind')}
            data={controlKinds.map((k) => ({ value: k, label: t(`quality.kinds.${k}`) }))}
            value={kind ?? null}
            onChange={(v) => update({ kind: v })}
            clearable
            w={240}
          />
          <Select
            label={t('quality.controls.filterStatus')}
            placeholder={t('quality.controls.anyStatus')}
            data={controlStatuses.map((s) => ({ value: s, label: t(`quality.controlStatus.${s}`) }))}
            value={status ?? null}
            onChange={(v) => update({ status: v })}
            clearable
            w={200}
          />
        </Group>
      </Paper>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label={t('quality.controls.title')} highlightOnHover>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th>{t('quality.controls.columns.title')}</Table.Th>
                  <Table.Th>{t('quality.controls.columns.kind')}</Table.Th>
                  <Table.Th>{t('quality.controls.columns.partner')}</Table.Th>
                  <Table.Th>{t('quality.controls.columns.date')}</Table.Th>
                  <Table.Th>{t('quality.controls.columns.status')}</Table.Th>
                  <Table.Th ta="right">{t('quality.controls.columns.findings')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      {c.kind === 'rule' ? (
                        <Text size="sm">{c.title}</Text>
                      ) : (
                        <Anchor component={Link} to={`/controls/${c.id}`} size="sm" fw={500}>
                          {c.title}
                        </Anchor>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`quality.kinds.${c.kind}`)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {c.organisationId ? (
                        <OrganisationName id={c.organisationId} />
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('quality.controls.network')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(c.performedOn ?? c.plannedOn, i18n.language)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <ControlStatusBadge status={c.status} />
                    </Table.Td>
                    <Table.Td ta="right">
                      {c.findingCount > 0 ? (
                        <Anchor component={Link} to={`/findings?control=${c.id}`} size="sm">
                          {c.findingCount}
                        </Anchor>
                      ) : (
                        <Text size="sm" c="dimmed">
                          0
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text c="dimmed" ta="center" py="lg">
                        {t('quality.controls.empty')}
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
      {planning && <PlanAuditModal opened={planning} onClose={() => setPlanning(false)} />}
    </>
  );
}
