import { Anchor, Badge, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { registry, reports } from '../../../core/contracts/index.js';
import { registerCodes } from '../../../core/registry/fiche.schema.js';
import { call } from '../../api/client.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconSearch } from '../../components/icons.js';
import { Pager } from '../../components/Pager.js';
import { formatDate } from '../../i18n/format.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { RegistryHeader } from './RegistryTabs.js';

const PAGE_SIZE = 25;
const triState = ['true', 'false'] as const;

function Switch({
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

/** A text filter kept in the address once the typing pauses. */
function useDebouncedParam(
  name: string,
  params: URLSearchParams,
  update: (c: Record<string, string | null>) => void,
) {
  const [value, setValue] = useState(params.get(name) ?? '');
  const [debounced] = useDebouncedValue(value.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new term must update the address
  useEffect(() => {
    if ((params.get(name) ?? '') !== debounced) update({ [name]: debounced || null });
  }, [debounced]);
  return [value, setValue] as const;
}

/**
 * The whole France Compétences registry as last imported: search by code or title and by certifier
 * (SIRET or name), filters on register, state and ownership, pages. The filters live in the address.
 */
export function RegistryFichesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { params, update, page } = useUrlFilters();
  const active = oneOf(triState, params.get('active'));
  const owned = oneOf(triState, params.get('owned'));
  const register = oneOf(registerCodes, params.get('register'));
  const [q, setQ] = useDebouncedParam('q', params, update);
  const [certifier, setCertifier] = useDebouncedParam('certifier', params, update);

  const query = {
    q: params.get('q') || undefined,
    certifier: params.get('certifier') || undefined,
    active,
    owned,
    register,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  } as const;
  const list = useQuery({
    queryKey: ['registry', 'fiches', query],
    queryFn: () => call(registry.listRegistryFiches, { query }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(query.q || query.certifier || active || owned || register);
  const dash = (
    <Text span c="dimmed">
      {t('common.none')}
    </Text>
  );

  return (
    <>
      <RegistryHeader section="fiches" />
      <Paper withBorder p="md" mb="md">
        <Group gap="lg" align="flex-end" wrap="wrap">
          <TextInput
            label={t('registry.search.q')}
            placeholder={t('registry.search.qPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            style={{ flex: 2, minWidth: 220 }}
            type="search"
          />
          <TextInput
            label={t('registry.search.certifier')}
            placeholder={t('registry.search.certifierPlaceholder')}
            value={certifier}
            onChange={(e) => setCertifier(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 200 }}
            type="search"
          />
          <Switch
            label={t('registry.search.register')}
            value={register ?? ''}
            onChange={(v) => update({ register: v || null })}
            data={[
              { value: '', label: t('registry.search.all') },
              ...registerCodes.map((r) => ({ value: r, label: r })),
            ]}
          />
          <Switch
            label={t('registry.search.active')}
            value={active ?? ''}
            onChange={(v) => update({ active: v || null })}
            data={[
              { value: '', label: t('registry.search.all') },
              { value: 'true', label: t('registry.search.activeOnly') },
              { value: 'false', label: t('registry.search.inactiveOnly') },
            ]}
          />
          <Switch
            label={t('registry.search.owned')}
            value={owned ?? ''}
            onChange={(v) => update({ owned: v || null })}
            data={[
              { value: '', label: t('registry.search.all') },
              { value: 'true', label: t('registry.search.ownedOnly') },
              { value: 'false', label: t('registry.search.othersOnly') },
            ]}
          />
          <ExportButton path={reports.exportRegistryFiches.path} query={query} />
        </Group>
      </Paper>

      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={900}>
            <Table highlightOnHover aria-label={t('registry.title')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th>{t('registry.columns.code')}</Table.Th>
                  <Table.Th>{t('registry.columns.title')}</Table.Th>
                  <Table.Th>{t('registry.columns.certifiers')}</Table.Th>
                  <Table.Th>{t('registry.columns.level')}</Table.Th>
                  <Table.Th>{t('registry.columns.partners')}</Table.Th>
                  <Table.Th>{t('registry.columns.state')}</Table.Th>
                  <Table.Th>{t('registry.columns.endsOn')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((f) => (
                  <Table.Tr
                    key={f.code}
                    style={{ cursor: 'pointer' }}
                    onClick={() => navigate(`/registry/fiches/${f.code}`)}
                  >
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Anchor
                        component={Link}
                        to={`/registry/fiches/${f.code}`}
                        fw={600}
                        ff="monospace"
                        onClick={(e) => e.stopPropagation()}
                      >
                        {f.code}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{f.title}</Text>
                    </Table.Td>
                    <Table.Td>
                      {f.certifiers.length
                        ? f.certifiers.map((c) => (
                            <Text size="sm" key={`${c.siret}-${c.name}`}>
                              {c.name}
                            </Text>
                          ))
                        : dash}
                    </Table.Td>
                    <Table.Td>{f.level ?? dash}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {f.activePartnerCount} / {f.partnerCount}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Badge color={f.isActive ? 'teal' : 'gray'} variant="light" radius="sm">
                          {f.isActive ? t('registry.activeBadge') : t('registry.inactiveBadge')}
                        </Badge>
                        {f.isOwned && (
                          <Badge color="indigo" variant="outline" radius="sm">
                            {t('registry.ownedBadge')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {f.endsOn ? formatDate(f.endsOn, i18n.language) : dash}
                    </Table.Td>
                  </Table.Tr>
                ))}
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed" ta="center" py="xl">
                        {filtered ? t('registry.search.empty') : t('registry.search.emptyRegistry')}
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
