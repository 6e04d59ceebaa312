import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reports, users } from '../../../core/contracts/index.js';
import type { UserView } from '../../../core/users/user.schema.js';
import { call } from '../../api/client.js';
import { useSession, useSignedIn } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, errorMessage, PageLoader } from '../../components/feedback.js';
import { IconPlus, IconSearch } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDateTime } from '../../i18n/format.js';
import { InvitationsPanel } from '../invitations/InvitationsPanel.js';
import { OrganisationName } from '../organisations/OrganisationName.js';
import { CreateUserModal } from './CreateUserModal.js';

const PAGE_SIZE = 25;

function StatusBadge({ user }: { user: UserView }) {
  const { t } = useTranslation();
  if (!user.isActive)
    return (
      <Badge color="gray" variant="light">
        {t('users.status.inactive')}
      </Badge>
    );
  if (!user.hasPassword)
    return (
      <Badge color="blue" variant="light">
        {t('users.status.invited')}
      </Badge>
    );
  if (user.isLocked)
    return (
      <Badge color="orange" variant="light">
        {t('users.status.locked')}
      </Badge>
    );
  return (
    <Badge color="teal" variant="light">
      {t('users.status.active')}
    </Badge>
  );
}

function ActiveToggle({ user, isSelf }: { user: UserView; isSelf: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => call(users.updateUser, { params: { id: user.id }, body: { isActive: !user.isActive } }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      notifications.show({
        color: 'teal',
        message: saved.isActive
          ? t('users.reactivated', { name: saved.displayName })
          : t('users.deactivated', { name: saved.displayName }),
      });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  return (
    <Button
      size="xs"
      variant={user.isActive ? 'subtle' : 'light'}
      color={user.isActive ? 'red' : 'teal'}
      disabled={isSelf}
      loading={toggle.isPending}
      onClick={() => toggle.mutate()}
    >
      {user.isActive ? t('users.deactivate') : t('users.reactivate')}
    </Button>
  );
}

/** Accounts: search, pages, creation with a one-time setup link, deactivation and reactivation. */
export function UsersPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const { can } = useSession();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const [creating, { open, close }] = useDisclosure(false);
  const query = { q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const list = useQuery({
    queryKey: ['users', 'list', query],
    queryFn: () => call(users.listUsers, { query }),
    placeholderData: keepPreviousData,
  });
  const manage = can('user.manage');

  return (
    <>
      <PageHeader
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        actions={
          <Group>
            <ExportButton path={reports.exportUsers.path} query={query} />
            {manage && (
              <Button leftSection={<IconPlus size={16} />} onClick={open}>
                {t('users.new')}
              </Button>
            )}
          </Group>
        }
      />
      <Paper withBorder p="md" mb="md">
        <TextInput
          placeholder={t('users.searchPlaceholder')}
          aria-label={t('users.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
          type="search"
          maw={420}
        />
      </Paper>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={860}>
            <Table highlightOnHover aria-label={t('users.title')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th>{t('users.columns.name')}</Table.Th>
                  <Table.Th>{t('users.columns.role')}</Table.Th>
                  <Table.Th>{t('users.columns.organisation')}</Table.Th>
                  <Table.Th>{t('users.columns.status')}</Table.Th>
                  <Table.Th>{t('users.columns.lastLogin')}</Table.Th>
                  {manage && <Table.Th>{t('common.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((user) => {
                  const isSelf = user.id === session.user.id;
                  return (
                    <Table.Tr key={user.id}>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {user.displayName}
                          {isSelf && (
                            <Text span size="xs" c="dimmed" fw={400}>
                              {' '}
                              ({t('users.you')})
                            </Text>
                          )}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {user.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="default" radius="sm" tt="none" fw={500}>
                          {t(`roles.${user.role}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {user.organisationId ? (
                          <OrganisationName id={user.organisationId} />
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t('common.none')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge user={user} />
                      </Table.Td>
                      <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                        {user.lastLoginAt ? (
                          formatDateTime(user.lastLoginAt, i18n.language)
                        ) : (
                          <Text span size="sm" c="dimmed">
                            {t('users.neverLoggedIn')}
                          </Text>
                        )}
                      </Table.Td>
                      {manage && (
                        <Table.Td>
                          <ActiveToggle user={user} isSelf={isSelf} />
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text c="dimmed" ta="center" py="xl">
                        {t('users.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager total={list.data.total} limit={PAGE_SIZE} page={page} onPage={setPage} />
        </Paper>
      )}
      {manage && <CreateUserModal opened={creating} onClose={close} />}
      <Stack mt="lg">
        <InvitationsPanel />
      </Stack>
    </>
  );
}
