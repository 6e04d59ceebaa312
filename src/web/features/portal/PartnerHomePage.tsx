import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  conventions,
  findings,
  habilitations,
  organisations,
  partnerRequests,
} from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { navItem } from '../../app/navigation.js';
import { useSignedIn } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { translateOr } from '../../i18n/dynamic.js';
import { formatDate, formatSiret } from '../../i18n/format.js';
import { ConventionTable } from '../conventions/ConventionTable.js';
import { UploadEvidenceModal } from '../evidence/EvidenceTable.js';
import { downloadUrl } from '../evidence/evidence-upload.js';
import { HabilitationTable } from '../habilitations/HabilitationTable.js';
import { QualiopiBadge } from '../organisations/QualiopiBadge.js';
import { RequestTable } from './RequestTable.js';

const LIMIT = 200;

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <Card padding={0}>
      <Group justify="space-between" p="lg" pb="sm">
        <Title order={4}>{title}</Title>
        {action}
      </Group>
      {children}
    </Card>
  );
}

/** Open findings of the partner: links to the finding pages once they exist, the list otherwise. */
function OpenFindings({ organisationId }: { organisationId: string }) {
  const { t, i18n } = useTranslation();
  const query = { organisationId, limit: LIMIT };
  const list = useQuery({
    queryKey: ['findings', 'list', query],
    queryFn: () => call(findings.listFindings, { query }),
  });
  const built = !navItem('findings').planned;
  if (list.error) return <ErrorAlert error={list.error} />;
  if (!list.data) return <PageLoader />;
  const open = list.data.items.filter((f) => f.status !== 'closed' && f.status !== 'verified');
  if (open.length === 0)
    return (
      <Text c="dimmed" ta="center" py="lg">
        {t('portal.home.noFindings')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table aria-label={t('portal.home.findings')}>
        <Table.Tbody>
          {open.map((f) => (
            <Table.Tr key={f.id}>
              <Table.Td>
                {built ? (
                  <Anchor component={Link} to={`/findings/${f.id}`} size="sm" fw={600}>
                    {f.title}
                  </Anchor>
                ) : (
                  <Text size="sm" fw={600}>
                    {f.title}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={f.severity === 'minor' ? 'yellow' : 'red'} tt="none">
                  {t(`portal.home.severity.${f.severity}`)}
                </Badge>
              </Table.Td>
              <Table.Td fz="sm">{translateOr(t, `partner.findings.status.${f.status}`, f.status)}</Table.Td>
              <Table.Td fz="sm">{formatDate(f.openedAt, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * A partner user's home: its organisation, habilitations (status, scope, blocs, period), conventions (status,
 * dates, PDF), open findings and the requests it must answer, with a button to send a file. Everything comes
 * from the API, which confines a partner to its own organisation.
 */
export function PartnerHomePage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const organisationId = session.user.organisationId ?? '';
  const [uploading, { open, close }] = useDisclosure(false);
  const list = { organisationId, limit: LIMIT };
  const organisation = useQuery({
    // Its own key: the organisation page reads afresh (a deactivated account is then sent to sign in).
    queryKey: ['portal', 'organisation', organisationId],
    queryFn: () => call(organisations.getOrganisation, { params: { id: organisationId } }),
  });
  const habs = useQuery({
    queryKey: ['habilitations', 'list', list],
    queryFn: () => call(habilitations.listHabilitations, { query: list }),
  });
  const convs = useQuery({
    queryKey: ['conventions', 'list', list],
    queryFn: () => call(conventions.listConventions, { query: list }),
  });
  const requestQuery = { limit: LIMIT, sort: 'dueOn' as const };
  const requests = useQuery({
    queryKey: ['requests', 'list', requestQuery],
    queryFn: () => call(partnerRequests.listRequests, { query: requestQuery }),
  });
  const pending = (requests.data?.items ?? []).filter((r) => r.status !== 'accepted');
  const overdue = pending.filter((r) => r.displayStatus === 'overdue').length;
  const o = organisation.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2}>{t('dashboard.greeting', { name: session.user.displayName })}</Title>
          <Text c="dimmed" size="sm">
            {o ? t('portal.home.subtitle', { name: o.legalName }) : t('common.loading')}
          </Text>
        </Stack>
        <Button variant="light" onClick={open}>
          {t('portal.home.upload')}
        </Button>
      </Group>
      {organisation.error && <ErrorAlert error={organisation.error} />}
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card padding="lg">
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            {t('portal.home.organisation')}
          </Text>
          {o && (
            <Stack gap={4} mt={6}>
              <Anchor component={Link} to={`/organisations/${o.id}`} fw={600}>
                {o.legalName}
              </Anchor>
              <Text size="sm" ff="monospace">
                {formatSiret(o.siret)}
              </Text>
              <QualiopiBadge status={o.qualiopiStatus} />
            </Stack>
          )}
        </Card>
        <Card padding="lg">
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            {t('portal.home.requestsToAnswer')}
          </Text>
          <Text fz={32} fw={700}>
            {pending.filter((r) => r.status === 'open' || r.status === 'reopened').length}
          </Text>
          {overdue > 0 && (
            <Text size="sm" c="red" fw={600}>
              {t('portal.home.overdue', { count: overdue })}
            </Text>
          )}
        </Card>
        <Card padding="lg">
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            {t('portal.home.activeHabilitations')}
          </Text>
          <Text fz={32} fw={700}>
            {
              (habs.data?.items ?? []).filter((h) => h.status === 'active' || h.status === 'under_watch')
                .length
            }
          </Text>
        </Card>
      </SimpleGrid>

      <Section
        title={t('portal.home.requests')}
        action={
          <Anchor component={Link} to="/requests" size="sm">
            {t('portal.home.allRequests')}
          </Anchor>
        }
      >
        {requests.error && <ErrorAlert error={requests.error} />}
        {requests.data && (
          <RequestTable items={pending} showOrganisation={false} emptyText={t('portal.home.noRequests')} />
        )}
      </Section>

      <Section title={t('portal.home.habilitations')}>
        {habs.error && <ErrorAlert error={habs.error} />}
        {habs.data && (
          <HabilitationTable
            items={habs.data.items}
            hideOrganisation
            empty={t('portal.home.noHabilitations')}
          />
        )}
      </Section>

      <Section title={t('portal.home.conventions')}>
        {convs.error && <ErrorAlert error={convs.error} />}
        {convs.data && (
          <>
            <ConventionTable
              items={convs.data.items}
              hideOrganisation
              empty={t('portal.home.noConventions')}
            />
            <Group p="md" gap="md">
              {convs.data.items
                .filter((c) => c.documentId)
                .map((c) => (
                  <Anchor key={c.id} href={downloadUrl(c.documentId ?? '')} size="sm">
                    {t('portal.home.conventionPdf', { reference: c.reference })}
                  </Anchor>
                ))}
            </Group>
          </>
        )}
      </Section>

      <Section title={t('portal.home.findings')}>
        <OpenFindings organisationId={organisationId} />
      </Section>

      <UploadEvidenceModal
        opened={uploading}
        onClose={close}
        meta={{ organisationId }}
        title={t('portal.home.upload')}
      />
    </Stack>
  );
}
