import {
  ActionIcon,
  Anchor,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { organisationDirectory, reports } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';

type Kind = 'contact' | 'site';

type Field = 'fullName' | 'role' | 'email' | 'phone' | 'label' | 'addressLine' | 'postalCode' | 'city';
const fieldsOf: Record<Kind, readonly Field[]> = {
  contact: ['fullName', 'role', 'email', 'phone'],
  site: ['label', 'addressLine', 'postalCode', 'city'],
};
const required: Record<Kind, string> = { contact: 'fullName', site: 'label' };

/** Adds a contact or a site; the server's field errors show under their fields. */
function AddModal({
  kind,
  organisationId,
  opened,
  onClose,
}: {
  kind: Kind;
  organisationId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: async (): Promise<unknown> => {
      const body = Object.fromEntries(
        Object.entries(values)
          .map(([k, v]) => [k, v.trim()])
          .filter(([, v]) => v !== ''),
      );
      const params = { id: organisationId };
      return kind === 'contact'
        ? call(organisationDirectory.addOrganisationContact, { params, body: body as { fullName: string } })
        : call(organisationDirectory.addOrganisationSite, { params, body: body as { label: string } });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['organisations', 'directory', organisationId] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      setValues({});
      onClose();
    },
  });
  const fieldError = (name: string) =>
    isApiError(save.error) ? save.error.fields.find((f) => f.field === name)?.message : undefined;
  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t(`networkList.directory.add.${kind}`)} centered>
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {fieldsOf[kind].map((name) => (
            <TextInput
              key={name}
              label={t(`networkList.directory.fields.${name}`)}
              required={name === required[kind]}
              value={values[name] ?? ''}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setValues((v) => ({ ...v, [name]: value }));
              }}
              error={fieldError(name)}
            />
          ))}
          {save.error && !fieldsOf[kind].some((f) => fieldError(f)) && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('networkList.directory.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The organisation's contact people and its training or exam sites, with adding and removing. */
export function DirectoryPanel({ organisationId, archived }: { organisationId: string; archived: boolean }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState<Kind>('contact');
  const [opened, { open, close }] = useDisclosure(false);
  const directory = useQuery({
    queryKey: ['organisations', 'directory', organisationId],
    queryFn: () => call(organisationDirectory.getOrganisationDirectory, { params: { id: organisationId } }),
  });
  const remove = useMutation({
    mutationFn: ({ kind, id }: { kind: Kind; id: string }) =>
      kind === 'contact'
        ? call(organisationDirectory.removeOrganisationContact, {
            params: { id: organisationId, contactId: id },
          })
        : call(organisationDirectory.removeOrganisationSite, { params: { id: organisationId, siteId: id } }),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: ['organisations', 'directory', organisationId] }),
  });
  const mayEdit = can('organisation.update') && !archived;
  const addButton = (kind: Kind) =>
    mayEdit && (
      <Button
        size="xs"
        variant="light"
        leftSection={<IconPlus size={14} />}
        onClick={() => {
          setAdding(kind);
          open();
        }}
      >
        {t(`networkList.directory.add.${kind}`)}
      </Button>
    );
  const removeButton = (kind: Kind, id: string, name: string) =>
    mayEdit && (
      <ActionIcon
        variant="subtle"
        color="red"
        aria-label={t('networkList.directory.remove', { name })}
        title={t('networkList.directory.remove', { name })}
        loading={remove.isPending && remove.variables?.id === id}
        onClick={() => remove.mutate({ kind, id })}
      >
        ×
      </ActionIcon>
    );
  const none = (
    <Text span c="dimmed">
      {t('common.none')}
    </Text>
  );

  return (
    <Card padding="lg">
      {directory.error && <ErrorAlert error={directory.error} />}
      {remove.error && <ErrorAlert error={remove.error} />}
      <Stack gap="lg">
        {/* The whole directory (contacts, then sites) as CSV or XLSX. */}
        <Group justify="flex-end">
          <ExportButton
            path={reports.exportOrganisationDirectory.path.replace(':id', organisationId)}
            query={{}}
          />
        </Group>
        <div>
          <Group justify="space-between" mb="xs">
            <Title order={4}>{t('networkList.directory.contacts')}</Title>
            {addButton('contact')}
          </Group>
          {directory.data && directory.data.contacts.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('networkList.directory.noContacts')}
            </Text>
          ) : (
            <Table aria-label={t('networkList.directory.contacts')}>
              <Table.Tbody>
                {directory.data?.contacts.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td fw={500}>{c.fullName}</Table.Td>
                    <Table.Td>{c.role ?? none}</Table.Td>
                    <Table.Td>
                      {c.email ? <Anchor href={`mailto:${c.email}`}>{c.email}</Anchor> : none}
                    </Table.Td>
                    <Table.Td>{c.phone ?? none}</Table.Td>
                    <Table.Td w={40}>{removeButton('contact', c.id, c.fullName)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
        <div>
          <Group justify="space-between" mb="xs">
            <Title order={4}>{t('networkList.directory.sites')}</Title>
            {addButton('site')}
          </Group>
          {directory.data && directory.data.sites.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('networkList.directory.noSites')}
            </Text>
          ) : (
            <Table aria-label={t('networkList.directory.sites')}>
              <Table.Tbody>
                {directory.data?.sites.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td fw={500}>{s.label}</Table.Td>
                    <Table.Td>
                      {[s.addressLine, [s.postalCode, s.city].filter(Boolean).join(' ')]
                        .filter(Boolean)
                        .join(', ') || none}
                    </Table.Td>
                    <Table.Td w={40}>{removeButton('site', s.id, s.label)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
      </Stack>
      {mayEdit && <AddModal kind={adding} organisationId={organisationId} opened={opened} onClose={close} />}
    </Card>
  );
}
