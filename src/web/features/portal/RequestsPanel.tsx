import { Button, Card, Group, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { partnerRequests } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { NewRequestModal } from './NewRequestModal.js';
import { RequestTable } from './RequestTable.js';

/** The requests made to one partner, on its page; the certifier asks a new one from here. */
export function RequestsPanel({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [creating, { open, close }] = useDisclosure(false);
  const query = { organisationId, limit: 200 };
  const list = useQuery({
    queryKey: ['requests', 'list', query],
    queryFn: () => call(partnerRequests.listRequests, { query }),
  });
  return (
    <Card padding={0}>
      <Group justify="space-between" p="lg" pb="sm">
        <Title order={4}>{t('portal.requests.title')}</Title>
        {can('request.manage') && (
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={open}>
            {t('portal.requests.new')}
          </Button>
        )}
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.isPending && <PageLoader />}
      {list.data && (
        <RequestTable
          items={list.data.items}
          showOrganisation={false}
          emptyText={t('portal.requests.emptyPartner')}
        />
      )}
      {can('request.manage') && (
        <NewRequestModal opened={creating} onClose={close} organisationId={organisationId} />
      )}
    </Card>
  );
}
