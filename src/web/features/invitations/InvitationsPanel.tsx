import {
  Alert,
  Badge,
  Button,
  Card,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Role, roles } from '../../../core/access/policy.js';
import { invitations, reports } from '../../../core/contracts/index.js';
import {
  type InvitationInput,
  type InvitationSent,
  type InvitationState,
  type InvitationView,
  invitationInput,
} from '../../../core/invitations/invitation.schema.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, errorMessage, PageLoader } from '../../components/feedback.js';
import { IconCheck, IconInfo, IconLink, IconPlus } from '../../components/icons.js';
import {
  type FieldErrors,
  fieldErrorsFromApi,
  fieldErrorsFromZod,
  splitFieldErrors,
} from '../../forms/field-errors.js';
import { formatDateTime } from '../../i18n/format.js';

const stateColors: Record<InvitationState, string> = {
  pending: 'blue',
  accepted: 'teal',
  expired: 'orange',
  revoked: 'gray',
  replaced: 'gray',
};

export function InvitationStateBadge({ state }: { state: InvitationState }) {
  const { t } = useTranslation();
  return (
    <Badge color={stateColors[state]} variant="light" radius="sm" tt="none" fw={600}>
      {t(`portal.invitations.state.${state}`)}
    </Badge>
  );
}

/** Where the link went: e-mailed, written to the outbox (no SMTP), or not sent; and the link itself, once. */
function SentNotice({ sent }: { sent: InvitationSent }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert
        color={sent.mail.delivered ? 'teal' : 'orange'}
        variant="light"
        icon={<IconInfo />}
        title={
          sent.mail.delivered
            ? sent.mail.via === 'smtp'
              ? t('portal.invitations.sentSmtp', { email: sent.invitation.email })
              : t('portal.invitations.sentOutbox', { email: sent.invitation.email })
            : t('portal.invitations.notSent', { email: sent.invitation.email })
        }
      >
        <Text size="sm">{t('portal.invitations.linkNote')}</Text>
      </Alert>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <TextInput
          readOnly
          value={sent.link}
          leftSection={<IconLink size={16} />}
          style={{ flex: 1 }}
          onFocus={(e) => e.currentTarget.select()}
          aria-label={t('portal.invitations.link')}
          data-testid="invitation-link"
        />
        <CopyButton value={sent.link}>
          {({ copied, copy }) => (
            <Button
              color={copied ? 'teal' : undefined}
              onClick={copy}
              leftSection={copied ? <IconCheck size={16} /> : undefined}
            >
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

const formFields = ['email', 'displayName', 'role', 'locale'] as const;

/** Invites a person: a partner user of `organisationId`, or (no organisation) an internal user. */
export function InviteModal({
  opened,
  onClose,
  organisationId,
}: {
  opened: boolean;
  onClose: () => void;
  organisationId?: string;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const internalRoles = roles.filter((r) => r !== 'partner');
  const initial = {
    email: '',
    displayName: '',
    role: (organisationId ? 'partner' : 'quality_manager') as Role,
    locale: 'fr' as 'fr' | 'en',
  };
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<string[]>([]);
  const invite = useMutation({
    mutationFn: (body: InvitationInput) => call(invitations.createInvitation, { body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['invitations'] });
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
    onError: (error) => {
      if (!isApiError(error)) return;
      const split = splitFieldErrors(fieldErrorsFromApi(error, t), formFields);
      setErrors(split.inline);
      setOther(split.other);
    },
  });
  const handleClose = () => {
    setValues(initial);
    setErrors({});
    setOther([]);
    invite.reset();
    onClose();
  };
  const set = <K extends keyof typeof initial>(name: K, value: (typeof initial)[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _, ...rest }) => rest);
  };
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body: InvitationInput = {
      email: values.email.trim(),
      displayName: values.displayName,
      role: values.role,
      locale: values.locale,
      ...(organisationId ? { organisationId } : {}),
    };
    const parsed = invitationInput.safeParse(body);
    if (!parsed.success) {
      const split = splitFieldErrors(fieldErrorsFromZod(parsed.error, t), formFields);
      setErrors(split.inline);
      setOther(split.other);
      return;
    }
    invite.mutate(body);
  };
  return (
    <Modal
      opened={opened}
      onClose={handleClose}
      title={invite.data ? t('portal.invitations.sentTitle') : t('portal.invitations.inviteTitle')}
      size="lg"
      centered
    >
      {invite.data ? (
        <Stack>
          <SentNotice sent={invite.data} />
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={handleSubmit} noValidate>
          <Stack>
            {invite.error && <ErrorAlert error={invite.error} extra={other.length ? other : undefined} />}
            <TextInput
              label={t('portal.invitations.fields.email')}
              type="email"
              required
              value={values.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              error={errors.email}
              data-autofocus
            />
            <TextInput
              label={t('portal.invitations.fields.displayName')}
              required
              value={values.displayName}
              onChange={(e) => set('displayName', e.currentTarget.value)}
              error={errors.displayName}
            />
            <Group grow align="flex-start">
              {!organisationId && (
                <Select
                  label={t('portal.invitations.fields.role')}
                  required
                  data={internalRoles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                  value={values.role}
                  onChange={(r) => set('role', (r as Role | null) ?? 'read_only')}
                  allowDeselect={false}
                  disabled={!can('user.manage')}
                  error={errors.role}
                />
              )}
              <Select
                label={t('portal.invitations.fields.locale')}
                data={[
                  { value: 'fr', label: t('language.fr') },
                  { value: 'en', label: t('language.en') },
                ]}
                value={values.locale}
                onChange={(l) => set('locale', l === 'en' ? 'en' : 'fr')}
                allowDeselect={false}
              />
            </Group>
            <Alert variant="light" color="indigo" icon={<IconInfo />}>
              <Text size="sm">{t('portal.invitations.note')}</Text>
            </Alert>
            <Group justify="flex-end">
              <Button variant="default" onClick={handleClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={invite.isPending}>
                {t('portal.invitations.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function InvitationActions({ invitation }: { invitation: InvitationView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [sent, setSent] = useState<InvitationSent | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['invitations'] });
    void queryClient.invalidateQueries({ queryKey: ['users'] });
    void queryClient.invalidateQueries({ queryKey: ['audit'] });
  };
  const resend = useMutation({
    mutationFn: () => call(invitations.resendInvitation, { params: { id: invitation.id } }),
    onSuccess: (result) => {
      refresh();
      setSent(result);
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const revoke = useMutation({
    mutationFn: () => call(invitations.revokeInvitation, { params: { id: invitation.id } }),
    onSuccess: () => {
      refresh();
      notifications.show({
        color: 'teal',
        message: t('portal.invitations.revoked', { email: invitation.email }),
      });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  if (invitation.state === 'accepted' || invitation.state === 'replaced') return null;
  return (
    <Group gap="xs" wrap="nowrap">
      <Button size="xs" variant="light" loading={resend.isPending} onClick={() => resend.mutate()}>
        {t('portal.invitations.resend')}
      </Button>
      {invitation.state !== 'revoked' && (
        <Button
          size="xs"
          variant="subtle"
          color="red"
          loading={revoke.isPending}
          onClick={() => revoke.mutate()}
        >
          {t('portal.invitations.revoke')}
        </Button>
      )}
      <Modal
        opened={sent !== null}
        onClose={() => setSent(null)}
        title={t('portal.invitations.sentTitle')}
        size="lg"
        centered
      >
        {sent && <SentNotice sent={sent} />}
      </Modal>
    </Group>
  );
}

/**
 * The invitations of one partner (on its page) or of internal users (on the users page): each person's
 * latest link, its state, and resend / revoke while it is not accepted.
 */
export function InvitationsPanel({ organisationId }: { organisationId?: string }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [inviting, { open, close }] = useDisclosure(false);
  const query = organisationId
    ? { organisationId, limit: 200 }
    : { audience: 'internal' as const, limit: 200 };
  const list = useQuery({
    queryKey: ['invitations', 'list', query],
    queryFn: () => call(invitations.listInvitations, { query }),
  });
  const mayInvite = organisationId ? can('user.invite_partner') : can('user.manage');
  return (
    <Card padding={0}>
      <Group justify="space-between" p="lg" pb="sm">
        <Stack gap={2}>
          <Title order={4}>
            {organisationId ? t('portal.invitations.partnerTitle') : t('portal.invitations.internalTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('portal.invitations.subtitle')}
          </Text>
        </Stack>
        {/* Internal users are invited with "Nouvel utilisateur" on the users page; this panel follows them up. */}
        <Group gap="xs">
          {can('user.read') && <ExportButton path={reports.exportInvitations.path} query={query} />}
          {mayInvite && organisationId && (
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={open}>
              {t('portal.invitations.invite')}
            </Button>
          )}
        </Group>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.isPending && <PageLoader />}
      {list.data && (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label={t('portal.invitations.partnerTitle')}>
            <Table.Thead bg="var(--mantine-color-gray-0)">
              <Table.Tr>
                <Table.Th>{t('portal.invitations.columns.person')}</Table.Th>
                {!organisationId && <Table.Th>{t('portal.invitations.columns.role')}</Table.Th>}
                <Table.Th>{t('portal.invitations.columns.state')}</Table.Th>
                <Table.Th>{t('portal.invitations.columns.sent')}</Table.Th>
                <Table.Th>{t('portal.invitations.columns.expires')}</Table.Th>
                {mayInvite && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((inv) => (
                <Table.Tr key={inv.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {inv.displayName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {inv.email}
                    </Text>
                  </Table.Td>
                  {!organisationId && <Table.Td fz="sm">{t(`roles.${inv.role}`)}</Table.Td>}
                  <Table.Td>
                    <InvitationStateBadge state={inv.state} />
                    {inv.mailError && (
                      <Text size="xs" c="red">
                        {t('portal.invitations.mailFailed')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(inv.createdAt, i18n.language)}
                    <Text size="xs" c="dimmed">
                      {inv.invitedBy}
                    </Text>
                  </Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    {inv.acceptedAt
                      ? t('portal.invitations.acceptedOn', {
                          date: formatDateTime(inv.acceptedAt, i18n.language),
                        })
                      : formatDateTime(inv.expiresAt, i18n.language)}
                  </Table.Td>
                  {mayInvite && (
                    <Table.Td>
                      <InvitationActions invitation={inv} />
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('portal.invitations.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {mayInvite && organisationId && (
        <InviteModal opened={inviting} onClose={close} organisationId={organisationId} />
      )}
    </Card>
  );
}
