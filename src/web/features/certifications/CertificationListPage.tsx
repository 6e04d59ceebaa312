import { Anchor, Badge, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { certificationSortKeys, registers } from '../../../core/certifications/certification.schema.js';
import { certifications, reports } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconSearch } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { SortableTh } from '../../components/SortableTh.js';
import { formatDate } from '../../i18n/format.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';

const PAGE_SIZE = 25;
type SortKey = (typeof certificationSortKeys)[number];
const triState = ['true', 'false'] as const;

function FilterSwitch({
  label,
  value,
  onChange,
  data,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  data: { value: string; label: string }[];
}) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <SegmentedControl size="sm" value={value} onChange={onChange} data={data} aria-label={label} />
    </Stack>
  );
}

/**
 * The certifications register: search by code or title, filters (active, owned, RNCP/RS), sort, pages.
 * The filters live in the address.
 */
export function CertificationListPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { params, update, page } = useUrlFilters();
  const active = oneOf(triState, params.get('active'));
  const owned = oneOf(triState, params.get('owned'));
  const register = oneOf(registers, params.get('register'));
  const sort: SortKey = oneOf(certificationSortKeys, params.get('sort')) ?? 'code';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';

  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new search term must update the address
  useEffect(() => {
    if ((params.get('q') ?? '') !== debounced) update({ q: debounced || null });
  }, [debounced]);

  const query = {
    q: params.get('q') || undefined,
    active,
    owned,
    register,
    sort,
    order,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  } as const;
  const list = useQuery({
    queryKey: ['certifications', 'list', query],
    queryFn: () => call(certifications.listCertifications, { query }),
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
  const filtered = Boolean(params.get('q') || active || owned || register);

  return (
    <>
      <PageHeader
        title={t('certifications.title')}
        subtitle={t('certifications.subtitle')}
        actions={<ExportButton path={reports.exportCertifications.path} query={query} />}
      />
      <Paper withBorder p="md" mb="md">
        <Group gap="lg" align="flex-end" wrap="wrap">
          <TextInput
            label={t('certifications.searchLabel')}
            placeholder={t('certifications.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 240 }}
            type="search"
          />
          <FilterSwitch
            label={t('certifications.activeFilter')}
            value={active ?? ''}
            onChange={(v) => update({ active: v || null })}
            data={[
              { value: '', label: t('certifications.all') },
              { value: 'true', label: t('certifications.activeOnly') },
              { value: 'false', label: t('certifications.inactiveOnly') },
            ]}
          />
          <FilterSwitch
            label={t('certifications.ownedFilter')}
            value={owned ?? ''}
            onChange={(v) => update({ owned: v || null })}
            data={[
              { value: '', label: t('certifications.all') },
              { value: 'true', label: t('certifications.ownedOnly') },
              { value: 'false', label: t('certifications.followedOnly') },
            ]}
          />
          <FilterSwitch
            label={t('certifications.registerFilter')}
            value={register ?? ''}
            onChange={(v) => update({ register: v || null })}
            data={[
              { value: '', label: t('certifications.all') },
              ...registers.map((r) => ({ value: r, label: r })),
            ]}
          />
        </Group>
      </Paper>

      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover aria-label={t('certifications.title')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  {column('code', t('certifications.columns.code'))}
                  {column('title', t('certifications.columns.title'))}
                  <Table.Th>{t('certifications.columns.level')}</Table.Th>
                  <Table.Th>{t('certifications.columns.blocks')}</Table.Th>
                  <Table.Th>{t('certifications.columns.state')}</Table.Th>
                  <Table.Th>{t('certifications.columns.endsOn')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((c) => (
                  <Table.Tr
                    key={c.id}
                    style={{ cursor: 'pointer' }}
                    onClick={() => navigate(`/certifications/${c.id}`)}
                  >
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Anchor
                        component={Link}
                        to={`/certifications/${c.id}`}
                        fw={600}
                        ff="monospace"
                        onClick={(e) => e.stopPropagation()}
                      >
                        {c.code}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.title}</Text>
                    </Table.Td>
                    <Table.Td>
                      {c.level ?? (
                        <Text span c="dimmed">
                          {t('common.none')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{c.skillBlockCount}</Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Badge
                          color={c.isActive ? 'teal' : 'gray'}
                          variant="light"
                          radius="sm"
                          style={{ flexShrink: 0 }}
                        >
                          {c.isActive ? t('certifications.activeBadge') : t('certifications.inactiveBadge')}
                        </Badge>
                        {c.isOwned && (
                          <Badge color="indigo" variant="outline" radius="sm" style={{ flexShrink: 0 }}>
                            {t('certifications.ownedBadge')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {c.endsOn ? (
                        formatDate(c.endsOn, i18n.language)
                      ) : (
                        <Text span c="dimmed">
                          {t('common.none')}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text c="dimmed" ta="center" py="xl">
                        {filtered ? t('certifications.empty') : t('certifications.emptyRegister')}
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
