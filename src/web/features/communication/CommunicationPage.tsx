import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fillPath } from '../../../core/contracts/contract.js';
import type { CpfSellerView } from '../../../core/contracts/cpf-offers.js';
import { cpfOffers, reports } from '../../../core/contracts/index.js';
import {
  type CpfOfferVerdict,
  cpfOfferVerdicts,
  type ForbiddenClaim,
} from '../../../core/cpf-offers/communication.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus, IconSearch } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDate, formatDateTime, formatNumber, formatSiret } from '../../i18n/format.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { CpfImportPanel, RejectedRowsTable } from './CpfImportPanel.js';
import { shortValue } from './cpf-upload.js';

const PAGE_SIZE = 50;

const verdictColors: Record<CpfOfferVerdict, string> = {
  unknown_seller: 'red',
  not_habilitated: 'red',
  inactive: 'orange',
  evaluation_only: 'orange',
  habilitated: 'teal',
};

function VerdictBadge({ verdict }: { verdict: CpfOfferVerdict }) {
  const { t } = useTranslation();
  return (
    <Badge color={verdictColors[verdict]} variant="light" radius="sm">
      {t(`communication.verdict.${verdict}`)}
    </Badge>
  );
}

const euros = (v: number | null, language: string) => (v === null ? '—' : `${formatNumber(v, language)} €`);

/** The offers of one seller for one certification, in a modal. */
function SellerOffers({ seller, onClose }: { seller: CpfSellerView; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const offersQuery = {
    siret: seller.siret,
    certificationId: seller.certificationId,
    limit: 200,
    includeGone: 'true',
  } as const;
  const offers = useQuery({
    queryKey: ['cpf-offers', 'offers', seller.siret, seller.certificationId],
    queryFn: () => call(cpfOffers.listCpfOffers, { query: offersQuery }),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      size="80rem"
      title={t('communication.sellers.offersTitle', {
        seller: seller.organisationName ?? seller.sellerName ?? seller.siret,
        code: seller.certificationCode,
      })}
    >
      {offers.isPending ? (
        <PageLoader />
      ) : offers.isError ? (
        <ErrorAlert error={offers.error} onRetry={() => void offers.refetch()} />
      ) : (
        <Stack gap="sm">
          <Group justify="flex-end">
            <ExportButton path={reports.exportCpfOffers.path} query={offersQuery} />
          </Group>
          <Table.ScrollContainer minWidth={800}>
            <Table striped fz="sm" aria-label={t('communication.tabs.sellers')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('communication.offers.columns.title')}</Table.Th>
                  <Table.Th>{t('communication.offers.columns.id')}</Table.Th>
                  <Table.Th>{t('communication.offers.columns.prices')}</Table.Th>
                  <Table.Th>{t('communication.offers.columns.hours')}</Table.Th>
                  <Table.Th>{t('communication.offers.columns.modality')}</Table.Th>
                  <Table.Th>{t('communication.offers.columns.department')}</Table.Th>
                  <Table.Th>{t('communication.offers.columns.extractedOn')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {offers.data.items.map((o) => (
                  <Table.Tr key={o.offerId} style={o.present ? undefined : { opacity: 0.6 }}>
                    <Table.Td>
                      <Stack gap={2}>
                        <Text size="sm">{o.title}</Text>
                        {!o.present && (
                          <Badge color="gray" variant="outline" size="xs">
                            {t('communication.offers.gone')}
                          </Badge>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <code>{o.offerId}</code>
                    </Table.Td>
                    <Table.Td>
                      {euros(o.priceMin, i18n.language)} – {euros(o.priceMax, i18n.language)}
                    </Table.Td>
                    <Table.Td>
                      {o.hoursMin ?? '—'} – {o.hoursMax ?? '—'}
                    </Table.Td>
                    <Table.Td>
                      {o.modality ? t(`communication.offers.modality.${o.modality as 'on_site'}`) : '—'}
                    </Table.Td>
                    <Table.Td>{o.departmentCode ?? '—'}</Table.Td>
                    <Table.Td>{formatDate(o.extractedOn, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
    </Modal>
  );
}

/** Sellers of the certifications, unknown and non-habilitated first. */
function SellersTab() {
  const { t, i18n } = useTranslation();
  const { params, update, page } = useUrlFilters();
  const verdict = oneOf(cpfOfferVerdicts, params.get('verdict'));
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);
  const [open, setOpen] = useState<CpfSellerView | null>(null);
  const query = { verdict, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const sellers = useQuery({
    queryKey: ['cpf-offers', 'sellers', query],
    queryFn: () => call(cpfOffers.listCpfSellers, { query }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack gap="md">
      <Group align="flex-end">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            update({ q: search.trim() || null, page: null });
          }}
        >
          <TextInput
            label={t('communication.sellers.search')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            leftSection={<IconSearch size={16} />}
            w={300}
          />
        </form>
        <Select
          label={t('communication.sellers.verdictFilter')}
          placeholder={t('communication.sellers.allVerdicts')}
          data={cpfOfferVerdicts.map((v) => ({ value: v, label: t(`communication.verdict.${v}`) }))}
          value={verdict ?? null}
          onChange={(v) => update({ verdict: v, page: null })}
          clearable
          w={260}
        />
        <div style={{ marginLeft: 'auto' }}>
          <ExportButton path={reports.exportCpfSellers.path} query={query} />
        </div>
      </Group>
      {sellers.isPending ? (
        <PageLoader />
      ) : sellers.isError ? (
        <ErrorAlert error={sellers.error} onRetry={() => void sellers.refetch()} />
      ) : sellers.data.total === 0 ? (
        <Text c="dimmed">{t('communication.sellers.empty')}</Text>
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={900}>
            <Table highlightOnHover aria-label={t('communication.tabs.sellers')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th>{t('communication.sellers.columns.verdict')}</Table.Th>
                  <Table.Th>{t('communication.sellers.columns.seller')}</Table.Th>
                  <Table.Th>{t('communication.sellers.columns.certification')}</Table.Th>
                  <Table.Th>{t('communication.sellers.columns.offers')}</Table.Th>
                  <Table.Th>{t('communication.sellers.columns.prices')}</Table.Th>
                  <Table.Th>{t('communication.sellers.columns.findings')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sellers.data.items.map((s) => (
                  <Table.Tr key={`${s.siret}-${s.certificationId}-${s.verdict}`}>
                    <Table.Td>
                      <VerdictBadge verdict={s.verdict} />
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={0}>
                        {s.organisationId ? (
                          <Anchor component={Link} to={`/organisations/${s.organisationId}`} size="sm">
                            {s.organisationName}
                          </Anchor>
                        ) : (
                          <Text size="sm">{s.sellerName ?? '—'}</Text>
                        )}
                        <Text size="xs" c="dimmed">
                          {formatSiret(s.siret)}
                          {s.matchedBy ? ` · ${t(`communication.matchedBy.${s.matchedBy}`)}` : ''}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={0}>
                        <Anchor component={Link} to={`/certifications/${s.certificationId}`} size="sm">
                          {s.certificationCode}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {s.certificationTitle}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Button variant="subtle" size="compact-sm" onClick={() => setOpen(s)}>
                        {formatNumber(s.offers, i18n.language)} · {t('communication.sellers.showOffers')}
                      </Button>
                    </Table.Td>
                    <Table.Td>
                      {euros(s.priceMin, i18n.language)} – {euros(s.priceMax, i18n.language)}
                    </Table.Td>
                    <Table.Td>
                      {s.openFindings > 0 && s.organisationId ? (
                        <Anchor component={Link} to={`/findings?organisation=${s.organisationId}`} size="sm">
                          {s.openFindings}
                        </Anchor>
                      ) : (
                        <Text size="sm">{s.openFindings}</Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            total={sellers.data.total}
            limit={PAGE_SIZE}
            page={page}
            onPage={(p) => update({ page: String(p) })}
          />
        </Paper>
      )}
      {open && <SellerOffers seller={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}

/** One import: its rejected rows, warnings and the offers that changed. */
function ImportDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const detail = useQuery({
    queryKey: ['cpf-offers', 'import', id],
    queryFn: () => call(cpfOffers.getCpfImport, { params: { id } }),
  });
  const changes = useQuery({
    queryKey: ['cpf-offers', 'changes', id, page],
    queryFn: () =>
      call(cpfOffers.listCpfImportChanges, {
        params: { id },
        query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
      }),
    placeholderData: keepPreviousData,
  });
  return (
    <Modal
      opened
      onClose={onClose}
      size="80rem"
      title={detail.data?.fileName ?? t('communication.history.detail')}
    >
      {detail.isPending ? (
        <PageLoader />
      ) : detail.isError ? (
        <ErrorAlert error={detail.error} />
      ) : (
        <Stack gap="md">
          <Group justify="space-between">
            <Text fw={600}>
              {detail.data.rejected === 0
                ? t('communication.rejected.none')
                : t('communication.rejected.title', { count: detail.data.rejected })}
            </Text>
            {detail.data.rejected + detail.data.warningRows.length > 0 && (
              <ExportButton
                path={fillPath(reports.exportCpfImportIssues.path, { id: detail.data.id })}
                query={{}}
              />
            )}
          </Group>
          {detail.data.rejectedRows.length > 0 && (
            <RejectedRowsTable
              rows={detail.data.rejectedRows}
              label={t('communication.rejected.title', { count: detail.data.rejected })}
            />
          )}
          {detail.data.rejected > detail.data.rejectedRows.length && (
            <Text size="sm" c="dimmed">
              {t('communication.rejected.more', {
                count: detail.data.rejected - detail.data.rejectedRows.length,
              })}
            </Text>
          )}
          {detail.data.warningRows.length > 0 && (
            <>
              <Text fw={600}>{t('communication.rejected.warningsTitle')}</Text>
              <RejectedRowsTable
                rows={detail.data.warningRows}
                label={t('communication.rejected.warningsTitle')}
              />
            </>
          )}
          <Title order={4}>{t('communication.history.changesTitle')}</Title>
          {changes.data && changes.data.total === 0 ? (
            <Text c="dimmed">
              {detail.data.changes.new > 0
                ? t('communication.history.firstImport')
                : t('communication.history.changesEmpty')}
            </Text>
          ) : changes.data ? (
            <>
              <Table striped fz="sm" aria-label={t('communication.history.changesTitle')}>
                <Table.Tbody>
                  {changes.data.items.map((c) => (
                    <Table.Tr key={c.offerId}>
                      <Table.Td>
                        <Badge
                          variant="light"
                          color={c.kind === 'gone' ? 'gray' : c.kind === 'changed' ? 'blue' : 'teal'}
                        >
                          {t(`communication.history.kind.${c.kind}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={0}>
                          <Text size="sm">{c.title ?? c.offerId}</Text>
                          <Text size="xs" c="dimmed">
                            {c.organisationName ?? ''} {c.siret ? formatSiret(c.siret) : ''} ·{' '}
                            {c.certificationCode ?? ''}
                          </Text>
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        {Object.entries(c.fields ?? {}).map(([field, v]) => (
                          <Text size="xs" key={field}>
                            {t('communication.history.field', {
                              field,
                              before: shortValue(v.before),
                              after: shortValue(v.after),
                            })}
                          </Text>
                        ))}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Pager total={changes.data.total} limit={PAGE_SIZE} page={page} onPage={setPage} />
            </>
          ) : (
            <PageLoader />
          )}
        </Stack>
      )}
    </Modal>
  );
}

/** The imports, newest first, with what each changed. */
function HistoryTab() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const imports = useQuery({
    queryKey: ['cpf-offers', 'imports', page],
    queryFn: () => call(cpfOffers.listCpfImports, { query: { limit: 25, offset: (page - 1) * 25 } }),
    placeholderData: keepPreviousData,
  });
  if (imports.isPending) return <PageLoader />;
  if (imports.isError) return <ErrorAlert error={imports.error} onRetry={() => void imports.refetch()} />;
  if (imports.data.total === 0) return <Text c="dimmed">{t('communication.history.empty')}</Text>;
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <ExportButton path={reports.exportCpfImports.path} query={{}} />
      </Group>
      <Paper withBorder>
        <Table.ScrollContainer minWidth={900}>
          <Table highlightOnHover aria-label={t('communication.tabs.history')}>
            <Table.Thead bg="var(--mantine-color-gray-0)">
              <Table.Tr>
                <Table.Th>{t('communication.history.columns.at')}</Table.Th>
                <Table.Th>{t('communication.history.columns.file')}</Table.Th>
                <Table.Th>{t('communication.history.columns.extractedOn')}</Table.Th>
                <Table.Th>{t('communication.history.columns.matched')}</Table.Th>
                <Table.Th>{t('communication.history.columns.changes')}</Table.Th>
                <Table.Th>{t('communication.history.columns.rejected')}</Table.Th>
                <Table.Th>{t('communication.history.columns.findings')}</Table.Th>
                <Table.Th>{t('communication.history.columns.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {imports.data.items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>
                    <Anchor component="button" size="sm" onClick={() => setOpen(i.id)}>
                      {formatDateTime(i.startedAt, i18n.language)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{i.fileName}</Table.Td>
                  <Table.Td>{formatDate(i.extractedOn, i18n.language)}</Table.Td>
                  <Table.Td>
                    {n(i.matched)} / {n(i.offers)}
                  </Table.Td>
                  <Table.Td>
                    {n(i.changes.new)} / {n(i.changes.changed)} / {n(i.changes.gone)}
                  </Table.Td>
                  <Table.Td>{n(i.rejected)}</Table.Td>
                  <Table.Td>
                    {n(i.findingChanges.opened ?? 0)} / {n(i.findingChanges.resolved ?? 0)}
                  </Table.Td>
                  <Table.Td>{i.actorLabel}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Pager total={imports.data.total} limit={25} page={page} onPage={setPage} />
        {open && <ImportDetail id={open} onClose={() => setOpen(null)} />}
      </Paper>
    </Stack>
  );
}

/** The rules and the list of forbidden claims (editable with control.manage). */
function RulesTab() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const mayManage = can('control.manage');
  const settings = useQuery({
    queryKey: ['cpf-offers', 'settings'],
    queryFn: () => call(cpfOffers.getCommunicationSettings),
  });
  const [claims, setClaims] = useState<ForbiddenClaim[] | null>(null);
  useEffect(() => {
    if (settings.data) setClaims(settings.data.forbiddenClaims);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (list: ForbiddenClaim[]) =>
      call(cpfOffers.updateCommunicationSettings, { body: { forbiddenClaims: list } }),
    onSuccess: (data) => {
      queryClient.setQueryData(['cpf-offers', 'settings'], data);
      notifications.show({ color: 'teal', message: t('communication.rules.saved') });
    },
  });
  if (settings.isPending || !claims) return <PageLoader />;
  if (settings.isError) return <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />;
  const lang = i18n.language.startsWith('en') ? 'en' : 'fr';
  const change = (i: number, patch: Partial<ForbiddenClaim>) =>
    setClaims(claims.map((c, k) => (k === i ? { ...c, ...patch } : c)));
  return (
    <Stack gap="lg">
      <Paper withBorder p="lg">
        <Stack gap="sm">
          <Title order={3}>{t('communication.rules.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('communication.rules.lead')}
          </Text>
          <Table fz="sm" aria-label={t('communication.rules.title')}>
            <Table.Tbody>
              {settings.data.rules.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <code>{r.id}</code>
                  </Table.Td>
                  <Table.Td>{r.title[lang]}</Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={r.severity === 'critical' ? 'red' : r.severity === 'major' ? 'orange' : 'yellow'}
                    >
                      {t(`communication.rules.severity.${r.severity}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {r.source}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      </Paper>
      <Paper withBorder p="lg">
        <Stack gap="sm">
          <Title order={3}>{t('communication.rules.claimsTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('communication.rules.claimsLead')}
          </Text>
          {save.isError && <ErrorAlert error={save.error} extra={[]} />}
          {claims.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, a phrase may be empty
            <Group key={i} align="flex-end" wrap="nowrap">
              <TextInput
                label={i === 0 ? t('communication.rules.phrase') : undefined}
                aria-label={t('communication.rules.phrase')}
                value={c.phrase}
                onChange={(e) => change(i, { phrase: e.currentTarget.value })}
                disabled={!mayManage}
                w={200}
              />
              <TextInput
                label={i === 0 ? t('communication.rules.reason') : undefined}
                aria-label={t('communication.rules.reason')}
                value={c.reason}
                onChange={(e) => change(i, { reason: e.currentTarget.value })}
                disabled={!mayManage}
                style={{ flex: 1 }}
              />
              <TextInput
                label={i === 0 ? t('communication.rules.levels') : undefined}
                aria-label={t('communication.rules.levels')}
                placeholder={t('communication.rules.levelsHint')}
                value={c.allowedLevels.join(', ')}
                onChange={(e) =>
                  change(i, {
                    allowedLevels: e.currentTarget.value
                      .split(',')
                      .map((l) => l.trim())
                      .filter(Boolean),
                  })
                }
                disabled={!mayManage}
                w={140}
              />
              {mayManage && (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('communication.rules.remove')}
                  onClick={() => setClaims(claims.filter((_, k) => k !== i))}
                  mb={4}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
          ))}
          {mayManage && (
            <Group>
              <Button
                variant="default"
                leftSection={<IconPlus size={16} />}
                onClick={() => setClaims([...claims, { phrase: '', reason: '', allowedLevels: [] }])}
              >
                {t('communication.rules.add')}
              </Button>
              <Button onClick={() => save.mutate(claims)} loading={save.isPending}>
                {t('communication.rules.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}

/**
 * The Communication area: the CPF offers naming the certifier's certifications by seller and
 * certification (unknown sellers first), the catalogue upload, the history of imports, and the rules.
 */
export function CommunicationPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { params, update } = useUrlFilters();
  const tab = oneOf(['sellers', 'history', 'rules'] as const, params.get('tab')) ?? 'sellers';
  const [uploading, setUploading] = useState(false);
  return (
    <>
      <PageHeader
        title={t('communication.title')}
        subtitle={t('communication.subtitle')}
        actions={
          can('control.manage') && (
            <Button onClick={() => setUploading((v) => !v)} variant={uploading ? 'default' : 'filled'}>
              {t('communication.upload.open')}
            </Button>
          )
        }
      />
      {uploading && (
        <Stack mb="lg">
          <CpfImportPanel />
        </Stack>
      )}
      <Tabs value={tab} onChange={(v) => update({ tab: v === 'sellers' ? null : v, page: null })}>
        <Tabs.List mb="md">
          <Tabs.Tab value="sellers">{t('communication.tabs.sellers')}</Tabs.Tab>
          <Tabs.Tab value="history">{t('communication.tabs.history')}</Tabs.Tab>
          <Tabs.Tab value="rules">{t('communication.tabs.rules')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="sellers">{tab === 'sellers' && <SellersTab />}</Tabs.Panel>
        <Tabs.Panel value="history">{tab === 'history' && <HistoryTab />}</Tabs.Panel>
        <Tabs.Panel value="rules">{tab === 'rules' && <RulesTab />}</Tabs.Panel>
      </Tabs>
    </>
  );
}
