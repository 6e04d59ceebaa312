import { Badge, Button, CloseButton, Group, Paper, Select } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { habilitations, organisations, reports } from '../../../core/contracts/index.js';
import { habilitationScopes } from '../../../core/habilitations/habilitation.js';
import { habilitationSortKeys } from '../../../core/habilitations/habilitation.schema.js';
import { habilitationStatuses } from '../../../core/habilitations/lifecycle.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { SortableTh } from '../../components/SortableTh.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { DateField } from '../network/parts.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { HabilitationTable } from './HabilitationTable.js';

const PAGE_SIZE = 25;
type SortKey = (typeof habilitationSortKeys)[number];
const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const uuidLike = /^[0-9a-f-]{36}$/i;

function OrganisationFilter({ id, onClear }: { id: string; onClear: () => void }) {
  const { t } = useTranslation();
  const organisation = useQuery({
    queryKey: ['organisations', 'one', id],
    queryFn: () => call(organisations.getOrganisation, { params: { id } }),
  });
  return (
    <Badge
      size="lg"
      variant="light"
      radius="sm"
      tt="none"
      rightSection={
        <CloseButton size="xs" onClick={onClear} aria-label={t('habilitations.filters.clearOrganisation')} />
      }
    >
      {t('habilitations.filters.organisation', { name: organisation.data?.legalName ?? '…' })}
    </Badge>
  );
}

/**
 * Every habilitation of the network (a partner: its own), filtered by certification, status, scope and the
 * day they are in force, sorted and paged; the filters live in the address.
 */
export function HabilitationListPage() {
  const { t } = useTranslation();
  const { can, session } = useSession();
  const isPartner = session?.user.role === 'partner';
  const { params, update, page } = useUrlFilters();
  const certificationId = uuidLike.test(params.get('certification') ?? '')
    ? params.get('certification')
    : null;
  const organisationId = uuidLike.test(params.get('organisation') ?? '') ? params.get('organisation') : null;
  const status = oneOf(habilitationStatuses, params.get('status'));
  const scope = oneOf(habilitationScopes, params.get('scope'));
  const effectiveOn = isoDay.test(params.get('on') ?? '') ? params.get('on') : null;
  const sort: SortKey = oneOf(habilitationSortKeys, params.get('sort')) ?? 'organisation';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';

  const query = {
    certificationId: certificationId ?? undefined,
    organisationId: organisationId ?? undefined,
    status,
    scope,
    effectiveOn: effectiveOn ?? undefined,
    sort,
    order,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  } as const;
  const list = useQuery({
    queryKey: ['habilitations', 'list', query],
    queryFn: () => call(habilitations.listHabilitations, { query }),
    placeholderData: keepPreviousData,
  });

  const column = (key: SortKey, label: string) => (
    <SortableTh
      label={label}
      active={sort === key}
      order={order}
      onSort={() => update({ sort: key, order: sort === key && order === 'asc' ? 'desc' : 'asc' }, false)}
    />
  );
  const filtered = Boolean(certificationId || organisationId || status || scope || effectiveOn);

  return (
    <>
      <PageHeader
        title={t('habilitations.title')}
        subtitle={isPartner ? t('habilitations.partnerSubtitle') : t('habilitations.subtitle')}
        actions={
          <Group gap="sm">
            <ExportButton path={reports.exportHabilitations.path} query={query} />
            {can('habilitation.manage') && (
              <Button
                component={Link}
                to={`/habilitations/new${certificationId ? `?certification=${certificationId}` : ''}`}
                leftSection={<IconPlus size={16} />}
              >
                {t('habilitations.new')}
              </Button>
            )}
          </Group>
        }
      />
      <Paper withBorder p="md" mb="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <CertificationPicker
            label={t('habilitations.filters.certification')}
            placeholder={t('habilitations.filters.certificationPlaceholder')}
            value={certificationId}
            onChange={(id) => update({ certification: id })}
          />
          <Select
            label={t('habilitations.filters.status')}
            placeholder={t('habilitations.filters.allStatuses')}
            data={habilitationStatuses.map((s) => ({ value: s, label: t(`habilitations.status.${s}`) }))}
            value={status ?? null}
            onChange={(v) => update({ status: v })}
            clearable
            w={230}
          />
          <Select
            label={t('habilitations.filters.scope')}
            placeholder={t('habilitations.filters.allScopes')}
            data={habilitationScopes.map((s) => ({ value: s, label: t(`habilitations.scope.${s}`) }))}
            value={scope ?? null}
            onChange={(v) => update({ scope: v })}
            clearable
            w={210}
          />
          <div style={{ width: 170 }}>
            <DateField
              label={t('habilitations.filters.effectiveOn')}
              value={effectiveOn}
              onChange={(v) => update({ on: v })}
              clearable
            />
          </div>
        </Group>
        {organisationId && (
          <Group mt="sm">
            <OrganisationFilter id={organisationId} onClear={() => update({ organisation: null })} />
          </Group>
        )}
      </Paper>

      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <HabilitationTable
            items={list.data.items}
            hideOrganisation={isPartner}
            header={{
              organisation: column('organisation', t('habilitations.columns.organisation')),
              certification: column('certification', t('habilitations.columns.certification')),
              period: column('startsOn', t('habilitations.columns.period')),
            }}
            empty={filtered ? t('habilitations.empty') : t('habilitations.emptyAll')}
          />
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
