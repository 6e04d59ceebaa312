import { Badge, Button, Card, Group, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { partnerRequests, reports } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { NewRequestModal } from './NewRequestModal.js';
import { RequestTable } from './RequestTable.js';

/**
 * The requests made to one partner, on its page, or about one of its habilitations or conventions (`about`),
 * on that screen: open and answered alike, each linked to its exchange. The certifier asks a new one from
 * here (preset to the habilitation or convention). The server confines a partner user to its own
 * organisation's requests, so the same panel serves the portal.
 */
export function RequestsPanel({
  organisationId,
  about,
}: {
  organisationId: string;
  about?: { habilitationId: string } | { conventionId: string };
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [creating, { open, close }] = useDisclosure(false);
  const query = { organisationId, ...about, limit: 200 };
  const list = useQuery({
    queryKey: ['requests', 'list', query],
    queryFn: () => call(partnerRequests.listRequests, { query }),
  });
  const items = list.data?.items ?? [];
  const awaitingPartner = items.filter((r) => ['open', 'reopened', 'overdue'].includes(r.displayStatus));
  const answered = items.filter((r) => r.displayStatus === 'answered');
  const emptyText = !about
    ? t('portal.requests.emptyPartner')
    : 'habilitationId' in about
      ? t('portal.requests.emptyHabilitation')
      : t('portal.requests.emptyConvention');
  return (
    <Card padding={0}>
      <Group justify="space-between" p="lg" pb="sm">
        <Group gap="xs">
          <Title order={4}>{t('portal.requests.title')}</Title>
          {awaitingPartner.length > 0 && (
            <Badge variant="light" color="blue" tt="none" radius="sm">
              {t('portal.requests.awaitingPartnerCount', { count: awaitingPartner.length })}
            </Badge>
          )}
          {answered.length > 0 && (
            <Badge variant="light" color="violet" tt="none" radius="sm">
              {t('portal.requests.answeredCount', { count: answered.length })}
            </Badge>
          )}
        </Group>
        <Group gap="xs">
          {/* The same filters as the panel (partner, habilitation or convention); the server scopes a partner. */}
          {can('request.read') && <ExportButton path={reports.exportPartnerRequests.path} query={query} />}
          {can('request.manage') && (
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={open}>
              {t('portal.requests.new')}
            </Button>
          )}
        </Group>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.isPending && <PageLoader />}
      {list.data && <RequestTable items={items} showOrganisation={false} emptyText={emptyText} />}
      {can('request.manage') && (
        <NewRequestModal opened={creating} onClose={close} organisationId={organisationId} about={about} />
      )}
    </Card>
  );
}
