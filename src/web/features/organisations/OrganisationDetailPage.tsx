import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { Action } from '../../../core/access/policy.js';
import { audit, organisations } from '../../../core/contracts/index.js';
import type { OrganisationView } from '../../../core/organisations/organisation.schema.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { translateOr } from '../../i18n/dynamic.js';
import { formatDate, formatDateTime, formatSiren, formatSiret } from '../../i18n/format.js';
import { auditActionLabel } from '../audit/audit-labels.js';
import { InvitationsPanel } from '../invitations/InvitationsPanel.js';
import {
  ConventionsPanel,
  EvidencePanel,
  FindingsPanel,
  HabilitationsPanel,
  SanctionsPanel,
} from '../partners/PartnerPanels.js';
import { TimelinePanel } from '../partners/TimelinePanel.js';
import { RequestsPanel } from '../portal/RequestsPanel.js';
import { DirectoryPanel } from './DirectoryPanel.js';
import { QualiopiBadge } from './QualiopiBadge.js';

function Item({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useTranslation();
  const empty = children === null || children === undefined || children === '' || children === false;
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      {empty ? (
        <Text c="dimmed">{t('common.none')}</Text>
      ) : typeof children === 'string' ? (
        <Text>{children}</Text>
      ) : (
        children
      )}
    </Stack>
  );
}

function History({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const entries = useQuery({
    queryKey: ['audit', 'organisation', id],
    // The organisation's entries and those of its habilitations, conventions, findings, sanctions, files.
    queryFn: () => call(audit.listAuditEntries, { query: { organisationId: id, limit: 20 } }),
  });
  return (
    <Card padding="lg">
      <Title order={4} mb="md">
        {t('organisations.detail.history')}
      </Title>
      {entries.error && <ErrorAlert error={entries.error} />}
      {entries.data && (
        <Timeline bulletSize={14} lineWidth={2}>
          {entries.data.items.map((entry) => (
            <Timeline.Item key={entry.seq} title={auditActionLabel(entry.action, t)}>
              <Text size="xs" c="dimmed">
                {formatDateTime(entry.at, i18n.language)} · {entry.actorLabel}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Card>
  );
}

function Details({ organisation: o }: { organisation: OrganisationView }) {
  const { t, i18n } = useTranslation();
  const address = [o.addressLine, [o.postalCode, o.city].filter(Boolean).join(' '), o.region]
    .filter(Boolean)
    .join('\n');
  return (
    <Stack gap="md">
      <Card padding="lg">
        <Title order={4} mb="md">
          {t('organisations.detail.identity')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <Item label={t('organisations.fields.siret')}>
            <Text ff="monospace">{formatSiret(o.siret)}</Text>
          </Item>
          <Item label={t('organisations.fields.siren')}>
            <Text ff="monospace">{formatSiren(o.siren)}</Text>
          </Item>
          <Item label={t('organisations.fields.nda')}>{o.nda && <Text ff="monospace">{o.nda}</Text>}</Item>
          <Item label={t('organisations.fields.tradeName')}>{o.tradeName}</Item>
        </SimpleGrid>
      </Card>
      <Card padding="lg">
        <Title order={4} mb="md">
          {t('organisations.detail.contact')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <Item label={t('organisations.fields.addressLine')}>
            {address && <Text style={{ whiteSpace: 'pre-line' }}>{address}</Text>}
          </Item>
          <Item label={t('organisations.fields.email')}>
            {o.email && <Anchor href={`mailto:${o.email}`}>{o.email}</Anchor>}
          </Item>
          <Item label={t('organisations.fields.phone')}>{o.phone}</Item>
          <Item label={t('organisations.fields.website')}>
            {o.website && (
              <Anchor href={o.website} target="_blank" rel="noopener noreferrer">
                {o.website}
              </Anchor>
            )}
          </Item>
        </SimpleGrid>
      </Card>
      <Card padding="lg">
        <Title order={4} mb="md">
          {t('organisations.detail.qualiopi')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <Item label={t('organisations.fields.qualiopiStatus')}>
            <Group gap="xs">
              <QualiopiBadge status={o.qualiopiStatus} size="md" />
              {o.qualiopiExpiresOn && (
                <Text size="sm" c="dimmed">
                  {t('organisations.detail.expiresOn', {
                    date: formatDate(o.qualiopiExpiresOn, i18n.language),
                  })}
                </Text>
              )}
            </Group>
          </Item>
          <Item label={t('organisations.fields.qualiopiCategories')}>
            {o.qualiopiCategories.length > 0 && (
              <Group gap={6}>
                {o.qualiopiCategories.map((c) => (
                  <Badge key={c} variant="default" radius="sm" tt="none" fw={500}>
                    {translateOr(t, `organisations.categories.${c}`, c)}
                  </Badge>
                ))}
              </Group>
            )}
          </Item>
        </SimpleGrid>
      </Card>
      <DirectoryPanel organisationId={o.id} archived={o.archivedAt !== null} />
      {o.notes && (
        <Card padding="lg">
          <Title order={4} mb="md">
            {t('organisations.detail.notes')}
          </Title>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{o.notes}</Text>
        </Card>
      )}
    </Stack>
  );
}

/** The partner page's tabs beyond the overview, each shown to the roles that may read what it lists. */
const partnerTabs = [
  { key: 'habilitations', anyOf: ['habilitation.read'] },
  { key: 'conventions', anyOf: ['convention.read'] },
  { key: 'evidence', anyOf: ['evidence.read'] },
  { key: 'findings', anyOf: ['finding.read'] },
  { key: 'sanctions', anyOf: ['sanction.read'] },
  { key: 'requests', anyOf: ['request.read'] },
  { key: 'accounts', anyOf: ['user.read'] },
  { key: 'timeline', anyOf: ['habilitation.read'] },
] as const satisfies ReadonlyArray<{ key: string; anyOf: readonly Action[] }>;
type TabKey = (typeof partnerTabs)[number]['key'] | 'overview';

/**
 * Another partner's organisation, or one that does not exist: the API answers not_found for both, so that
 * a partner cannot even learn which ids exist. The page says so plainly.
 */
function OrganisationNotFound() {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="lg" p={48} maw={640} mx="auto" mt="xl">
      <Stack align="center" gap="md" ta="center">
        <Title order={2}>{t('partner.notFoundTitle')}</Title>
        <Text c="dimmed">{t('partner.notFoundText')}</Text>
        <Button component={Link} to="/" variant="light">
          {t('notFound.home')}
        </Button>
      </Stack>
    </Paper>
  );
}

export function OrganisationDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  const queryClient = useQueryClient();
  const [confirming, { open, close }] = useDisclosure(false);
  const [params, setParams] = useSearchParams();
  const isPartner = session?.user.role === 'partner';

  const organisation = useQuery({
    queryKey: ['organisations', 'one', id],
    queryFn: () => call(organisations.getOrganisation, { params: { id } }),
  });

  const archive = useMutation({
    mutationFn: () => call(organisations.archiveOrganisation, { params: { id } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['organisations', 'one', id], saved);
      void queryClient.invalidateQueries({ queryKey: ['organisations'] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      notifications.show({ color: 'teal', message: t('organisations.detail.archived') });
      close();
    },
  });

  if (organisation.isPending) return <PageLoader />;
  if (isApiError(organisation.error) && organisation.error.code === 'not_found')
    return <OrganisationNotFound />;
  if (organisation.error) {
    return <ErrorAlert error={organisation.error} onRetry={() => void organisation.refetch()} />;
  }
  const o = organisation.data;
  const tabs = partnerTabs.filter((tab) => tab.anyOf.some((action) => can(action)));
  const activeTab = tabs.some((tab) => tab.key === params.get('tab'))
    ? (params.get('tab') as TabKey)
    : 'overview';

  return (
    <>
      <PageHeader
        title={o.legalName}
        badges={
          <>
            <QualiopiBadge status={o.qualiopiStatus} size="md" />
            {o.archivedAt && (
              <Badge color="gray" variant="outline" size="md">
                {t('organisations.detail.archivedOn', { date: formatDate(o.archivedAt, i18n.language) })}
              </Badge>
            )}
          </>
        }
        subtitle={`${t('organisations.detail.createdOn', { date: formatDate(o.createdAt, i18n.language) })}, ${t(
          'organisations.detail.updatedOn',
          { date: formatDate(o.updatedAt, i18n.language) },
        )}`}
        back={isPartner ? undefined : { to: '/organisations', label: t('organisations.detail.backToList') }}
        actions={
          <>
            {can('organisation.archive') && !o.archivedAt && (
              <Button variant="default" color="red" onClick={open}>
                {t('organisations.detail.archive')}
              </Button>
            )}
            {can('organisation.update') && (
              <Button component={Link} to={`/organisations/${o.id}/edit`}>
                {t('common.edit')}
              </Button>
            )}
          </>
        }
      />
      <Tabs
        value={activeTab}
        onChange={(tab) => setParams(tab && tab !== 'overview' ? { tab } : {}, { replace: true })}
        keepMounted={false}
        variant="outline"
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">{t('partner.tabs.overview')}</Tabs.Tab>
          {tabs.map((tab) => (
            <Tabs.Tab key={tab.key} value={tab.key}>
              {t(`partner.tabs.${tab.key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: can('audit.read') ? 8 : 12 }}>
              <Details organisation={o} />
            </Grid.Col>
            {can('audit.read') && (
              <Grid.Col span={{ base: 12, lg: 4 }}>
                <History id={o.id} />
              </Grid.Col>
            )}
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="habilitations">
          <HabilitationsPanel organisation={o} />
        </Tabs.Panel>
        <Tabs.Panel value="conventions">
          <ConventionsPanel organisation={o} />
        </Tabs.Panel>
        <Tabs.Panel value="evidence">
          <EvidencePanel organisation={o} />
        </Tabs.Panel>
        <Tabs.Panel value="findings">
          <FindingsPanel organisation={o} />
        </Tabs.Panel>
        <Tabs.Panel value="sanctions">
          <SanctionsPanel organisation={o} />
        </Tabs.Panel>
        <Tabs.Panel value="requests">
          <RequestsPanel organisationId={o.id} />
        </Tabs.Panel>
        <Tabs.Panel value="accounts">
          <InvitationsPanel organisationId={o.id} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <TimelinePanel organisationId={o.id} />
        </Tabs.Panel>
      </Tabs>

      <Modal opened={confirming} onClose={close} title={t('organisations.detail.archiveTitle')} centered>
        <Stack>
          <Text size="sm">{t('organisations.detail.archiveText', { name: o.legalName })}</Text>
          {archive.error && <ErrorAlert error={archive.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={archive.isPending} onClick={() => archive.mutate()}>
              {t('organisations.detail.archive')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
