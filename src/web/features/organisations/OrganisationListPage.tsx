import { Anchor, Badge, Button, Group, Paper, Select, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { organisations } from '../../../core/contracts/index.js';
import {
  organisationSortKeys,
  type QualiopiStatus,
  qualiopiStatuses,
} from '../../../core/organisations/organisation.schema.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus, IconSearch } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { SortableTh } from '../../components/SortableTh.js';
import { formatDate, formatSiret } from '../../i18n/format.js';
import { QualiopiBadge } from './QualiopiBadge.js';

const PAGE_SIZE = 25;
type SortKey = (typeof organisationSortKeys)[number];

const isSortKey = (v: string | null): v is SortKey =>
  (organisationSortKeys as readonly (string | null)[]).includes(v);
const isStatus = (v: string | null): v is QualiopiStatus =>
  (qualiopiStatuses as readonly (string | null)[]).includes(v);

/**
 * The network: search, Qualiopi filter, sort, pages, archived toggle. The state lives in the address, so a
 * filtered list can be bookmarked, shared and survives a reload. A partner sees its own organisation only
 * (the API scopes the list).
 */
export function OrganisationListPage() {
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const isPartner = session?.user.role === 'partner';

  const status = isStatus(params.get('status')) ? (params.get('status') as QualiopiStatus) : undefined;
  const sort: SortKey = isSortKey(params.get('sort')) ? (params.get('sort') as SortKey) : 'legalName';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const includeArchived = params.get('archived') === '1';

  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);

  const update = (changes: Record<string, string | null>, resetPage = true) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '') next.delete(key);
          else next.set(key, value);
        }
        if (resetPage) next.delete('page');
        return next;
      },
      { replace: true },
    );
  };

  // The search box writes to the address once typing pauses.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new search term must update the address
  useEffect(() => {
    if ((params.get('q') ?? '') !== debouncedSearch) update({ q: debouncedSearch || null });
  }, [debouncedSearch]);

  const query = {
    q: params.get('q') || undefined,
    qualiopiStatus: status,
    includeArchived: includeArchived ? ('true' as const) : undefined,
    sort,
    order,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  } as const;
  const list = useQuery({
    queryKey: ['organisations', 'list', query],
    queryFn: () => call(organisations.listOrganisations, { query }),
    placeholderData: keepPreviousData,
  });

  const handleSort = (key: SortKey) =>
    update({ sort: key, order: sort === key && order === 'asc' ? 'desc' : 'asc' }, false);

  const column = (key: SortKey, label: string) => (
    <SortableTh label={label} active={sort === key} order={order} onSort={() => handleSort(key)} />
  );

  const filtered = Boolean(params.get('q') || status);

  return (
    <>
      <PageHeader
        title={isPartner ? t('nav.myOrganisation') : t('organisations.title')}
        subtitle={isPartner ? t('organisations.partnerSubtitle') : t('organisations.subtitle')}
        actions={
          can('organisation.create') && (
            <Button component={Link} to="/organisations/new" leftSection={<IconPlus size={16} />}>
              {t('organisations.new')}
            </Button>
          )
        }
      />

      {!isPartner && (
        <Paper withBorder p="md" mb="md">
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
            <Select
              label={t('organisations.qualiopiFilter')}
              placeholder={t('organisations.allStatuses')}
              data={qualiopiStatuses.map((s) => ({ value: s, label: t(`organisations.qualiopi.${s}`) }))}
              value={status ?? null}
              onChange={(value) => update({ status: value })}
              clearable
              w={220}
              allowDeselect
            />
            <Switch
              label={t('organisations.showArchived')}
              checked={includeArchived}
              onChange={(e) => update({ archived: e.currentTarget.checked ? '1' : null })}
              mb={8}
            />
          </Group>
        </Paper>
      )}

      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={720}>
            <Table highlightOnHover striped={false} aria-label={t('organisations.title')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  {column('legalName', t('organisations.columns.legalName'))}
                  {column('siret', t('organisations.columns.siret'))}
                  {column('city', t('organisations.columns.city'))}
                  <Table.Th>{t('organisations.columns.qualiopi')}</Table.Th>
                  {column('createdAt', t('organisations.columns.createdAt'))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((o) => (
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
                      {o.city ?? (
                        <Text span c="dimmed">
                          {t('common.none')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <QualiopiBadge status={o.qualiopiStatus} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDate(o.createdAt, i18n.language)}
                    </Table.Td>
                  </Table.Tr>
                ))}
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
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
