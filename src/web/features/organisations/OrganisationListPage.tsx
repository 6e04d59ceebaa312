import {
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { network, risk as riskContracts } from '../../../core/contracts/index.js';
import {
  type NetworkListInput,
  type NetworkSortKey,
  networkHabilitationFilters,
  networkSortKeys,
} from '../../../core/network/network.schema.js';
import { regionCodes, regionName } from '../../../core/network/regions.js';
import { qualiopiStatuses } from '../../../core/organisations/organisation.schema.js';
import { riskLevels } from '../../../core/risk/risk-score.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconChevronDown, IconPlus, IconSearch } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { SortableTh } from '../../components/SortableTh.js';
import { formatDate, formatSiret } from '../../i18n/format.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { QualiopiBadge } from './QualiopiBadge.js';

const PAGE_SIZE = 50;
const riskColors = { low: 'teal', medium: 'orange', high: 'red' } as const;

/** The address's filters as the network list's query (the same schema validates it on the server). */
export function networkQueryOf(params: URLSearchParams, page: number): NetworkListInput {
  const sort = oneOf(networkSortKeys, params.get('sort')) ?? 'legalName';
  return {
    q: params.get('q') || undefined,
    certificationId: params.get('certification') || undefined,
    habilitationStatus: oneOf(networkHabilitationFilters, params.get('habilitation')),
    region: oneOf(regionCodes, params.get('region')),
    qualiopiStatus: oneOf(qualiopiStatuses, params.get('qualiopi')),
    risk: oneOf(riskLevels, params.get('risk')),
    includeArchived: params.get('archived') === '1' ? 'true' : undefined,
    sort,
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
}

/** The export's address: the list's filters and sort, every row, in the format asked. */
function exportHref(query: NetworkListInput, format: 'csv' | 'xlsx'): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === 'limit' || key === 'offset' || value === undefined || value === null || value === '')
      continue;
    search.set(key, String(value));
  }
  search.set('format', format);
  return `${network.exportNetwork.path}?${search.toString()}`;
}

/**
 * The network: search and filters (certification, habilitation status, region, Qualiopi, risk), sort,
 * pages and exports. The state lives in the address, so a filtered list can be bookmarked, shared and
 * survives a reload. A partner sees its own organisation only (the API scopes the list).
 */
export function OrganisationListPage() {
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  const navigate = useNavigate();
  const { params, update, page } = useUrlFilters();
  const isPartner = session?.user.role === 'partner';
  const readsRisk = can('control.read');

  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  // The search box writes to the address once typing pauses.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new search term must update the address
  useEffect(() => {
    if ((params.get('q') ?? '') !== debouncedSearch) update({ q: debouncedSearch || null });
  }, [debouncedSearch]);

  const query = networkQueryOf(params, page);
  const list = useQuery({
    queryKey: ['organisations', 'network', query],
    queryFn: () => call(network.listNetwork, { query }),
    placeholderData: keepPreviousData,
  });
  const ids = (list.data?.items ?? []).map((o) => o.id);
  const risk = useQuery({
    queryKey: ['risk', 'page', ids],
    queryFn: () =>
      call(riskContracts.listRiskScores, { query: { organisationId: ids.join(','), limit: PAGE_SIZE } }),
    enabled: readsRisk && ids.length > 0,
  });
  const riskOf = new Map((risk.data?.items ?? []).map((r) => [r.organisationId, r]));

  const sort = query.sort as NetworkSortKey;
  const order = query.order;
  const handleSort = (key: NetworkSortKey) =>
    update({ sort: key, order: sort === key && order === 'asc' ? 'desc' : 'asc' }, false);
  const column = (key: NetworkSortKey, label: string) => (
    <SortableTh label={label} active={sort === key} order={order ?? 'asc'} onSort={() => handleSort(key)} />
  );

  const filterKeys = ['q', 'certification', 'habilitation', 'region', 'qualiopi', 'risk'] as const;
  const filtered = filterKeys.some((key) => params.get(key));
  const resetFilters = () => {
    setSearch('');
    update(Object.fromEntries(filterKeys.map((key) => [key, null])));
  };
  const columnCount = readsRisk ? 7 : 6;

  return (
    <>
      <PageHeader
        title={isPartner ? t('nav.myOrganisation') : t('organisations.title')}
        subtitle={isPartner ? t('organisations.partnerSubtitle') : t('organisations.subtitle')}
        actions={
          <Group gap="sm">
            {!isPartner && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="default" rightSection={<IconChevronDown size={14} />}>
                    {t('networkList.export')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>{t('networkList.exportHint')}</Menu.Label>
                  <Menu.Item component="a" href={exportHref(query, 'csv')} download>
                    {t('networkList.exportCsv')}
                  </Menu.Item>
                  <Menu.Item component="a" href={exportHref(query, 'xlsx')} download>
                    {t('networkList.exportXlsx')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
            {can('organisation.import') && (
              <Button component={Link} to="/organisations/import" variant="default">
                {t('networkList.import.action')}
              </Button>
            )}
            {can('organisation.create') && (
              <Button component={Link} to="/organisations/new" leftSection={<IconPlus size={16} />}>
                {t('organisations.new')}
              </Button>
            )}
          </Group>
        }
      />

      {!isPartner && (
        <Paper withBorder p="md" mb="md">
          <Stack gap="sm">
            <Group gap="md" align="flex-end" wrap="wrap">
              <TextInput
                label={t('organisations.searchLabel')}
                placeholder={t('organisations.searchPlaceholder')}
                leftSection={<IconSearch size={16} />}
                value={search}
                onChange={(e) => setSearch(e.currentTarget.value)}
                style={{ flex: 1, minWidth: 240 }}
                type="search"
              />
              <CertificationPicker
                label={t('networkList.filters.certification')}
                placeholder={t('networkList.filters.anyCertification')}
                value={params.get('certification')}
                onChange={(id) => update({ certification: id })}
              />
            </Group>
            <Group gap="md" align="flex-end" wrap="wrap">
              <Select
                label={t('networkList.filters.habilitationStatus')}
                placeholder={t('networkList.filters.anyHabilitation')}
                data={networkHabilitationFilters.map((s) => ({
                  value: s,
                  label:
                    s === 'none' ? t('networkList.filters.noHabilitation') : t(`habilitations.status.${s}`),
                }))}
                value={query.habilitationStatus ?? null}
                onChange={(value) => update({ habilitation: value })}
                clearable
                w={210}
              />
              <Select
                label={t('networkList.filters.region')}
                placeholder={t('networkList.filters.anyRegion')}
                data={regionCodes
                  .map((code) => ({ value: code, label: regionName(code) ?? code }))
                  .sort((a, b) => a.label.localeCompare(b.label, 'fr'))}
                value={query.region ?? null}
                onChange={(value) => update({ region: value })}
                clearable
                searchable
                w={240}
              />
              <Select
                label={t('networkList.filters.qualiopi')}
                placeholder={t('organisations.allStatuses')}
                data={qualiopiStatuses.map((s) => ({ value: s, label: t(`organisations.qualiopi.${s}`) }))}
                value={query.qualiopiStatus ?? null}
                onChange={(value) => update({ qualiopi: value })}
                clearable
                w={200}
              />
              {readsRisk && (
                <Select
                  label={t('networkList.filters.risk')}
                  placeholder={t('networkList.filters.anyRisk')}
                  data={riskLevels.map((level) => ({ value: level, label: t(`networkList.risk.${level}`) }))}
                  value={query.risk ?? null}
                  onChange={(value) => update({ risk: value })}
                  clearable
                  w={170}
                />
              )}
              <Switch
                label={t('organisations.showArchived')}
                checked={params.get('archived') === '1'}
                onChange={(e) => update({ archived: e.currentTarget.checked ? '1' : null })}
                mb={8}
              />
              {filtered && (
                <Button variant="subtle" onClick={resetFilters} mb={2}>
                  {t('networkList.filters.reset')}
                </Button>
              )}
            </Group>
          </Stack>
        </Paper>
      )}

      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={900}>
            <Table highlightOnHover striped={false} aria-label={t('organisations.title')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  {column('legalName', t('organisations.columns.legalName'))}
                  {column('siret', t('organisations.columns.siret'))}
                  {column('city', t('networkList.columns.location'))}
                  <Table.Th>{t('organisations.columns.qualiopi')}</Table.Th>
                  {column('activeHabilitations', t('networkList.columns.habilitations'))}
                  {readsRisk && <Table.Th>{t('networkList.columns.risk')}</Table.Th>}
                  {column('createdAt', t('organisations.columns.createdAt'))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((o) => {
                  const score = riskOf.get(o.id);
                  return (
                    <Table.Tr
                      key={o.id}
                      style={{ cursor: 'pointer' }}
                      onClick={() => navigate(`/organisations/${o.id}`)}
                    >
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Anchor
                            component={Link}
                            to={`/organisations/${o.id}`}
                            fw={600}
                            onClick={(e) => e.stopPropagation()}
                          >
                            {o.legalName}
                          </Anchor>
                          {o.archivedAt && (
                            <Badge color="gray" variant="outline" size="xs">
                              {t('organisations.archivedBadge')}
                            </Badge>
                          )}
                        </Group>
                        {o.tradeName && (
                          <Text size="xs" c="dimmed">
                            {o.tradeName}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ff="monospace" fz="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatSiret(o.siret)}
                      </Table.Td>
                      <Table.Td>
                        {o.city ?? o.postalCode ?? (
                          <Text span c="dimmed">
                            {t('common.none')}
                          </Text>
                        )}
                        {o.regionCode && (
                          <Text size="xs" c="dimmed">
                            {regionName(o.regionCode)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <QualiopiBadge status={o.qualiopiStatus} />
                      </Table.Td>
                      <Table.Td fz="sm">
                        {o.habilitationCount === 0 ? (
                          <Text span size="sm" c="dimmed">
                            {t('networkList.noHabilitationYet')}
                          </Text>
                        ) : (
                          t('networkList.habilitationCounts', {
                            active: o.activeHabilitationCount,
                            total: o.habilitationCount,
                          })
                        )}
                        {o.suspendedHabilitationCount > 0 && (
                          <Badge color="red" variant="light" size="xs" ml={6} radius="sm">
                            {t('networkList.suspendedCount', { count: o.suspendedHabilitationCount })}
                          </Badge>
                        )}
                      </Table.Td>
                      {readsRisk && (
                        <Table.Td>
                          {score ? (
                            <Tooltip label={t('networkList.riskScore', { score: score.score })}>
                              <Badge color={riskColors[score.level]} variant="light" radius="sm">
                                {t(`networkList.risk.${score.level}`)}
                              </Badge>
                            </Tooltip>
                          ) : (
                            <Text span size="sm" c="dimmed">
                              {t('common.none')}
                            </Text>
                          )}
                        </Table.Td>
                      )}
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(o.createdAt, i18n.language)}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={columnCount}>
                      <Text c="dimmed" ta="center" py="xl">
                        {filtered ? t('organisations.empty') : t('organisations.emptyNetwork')}
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
