import { Anchor, Button, Group, Modal, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { juries, reports } from '../../../core/contracts/index.js';
import { juryStatuses } from '../../../core/juries/jury.schema.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { type FieldErrors, fieldErrorsFromApi } from '../../forms/field-errors.js';
import { formatDate } from '../../i18n/format.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { JuryMembersEditor, type MemberValues, newMember, toMemberInput } from './JuryMembersEditor.js';
import { JuryStatusBadge } from './labels.js';
import { CertificationCode, ProblemAlert } from './parts.js';
import { JuryScheduleFields, type JuryScheduleValues } from './ScheduleFields.js';

const PAGE_SIZE = 25;
const uuidLike = /^[0-9a-f-]{36}$/i;

function NewJuryModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [certificationId, setCertificationId] = useState<string | null>(null);
  const [schedule, setSchedule] = useState<JuryScheduleValues>({ meetsOn: null, place: '' });
  const [members, setMembers] = useState<MemberValues[]>([newMember('president'), newMember()]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: () =>
      call(juries.createJury, {
        body: {
          certificationId: certificationId ?? '',
          meetsOn: schedule.meetsOn ?? '',
          place: schedule.place.trim() || null,
          members: members.map(toMemberInput),
        },
      }),
    onSuccess: (jury) => {
      void queryClient.invalidateQueries({ queryKey: ['juries'] });
      notifications.show({ color: 'teal', message: t('chain.jury.created') });
      onClose();
      navigate(`/juries/${jury.id}`);
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('chain.jury.newTitle')} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {create.error && <ProblemAlert error={create.error} />}
          <Group align="flex-start" wrap="wrap">
            <CertificationPicker
              label={t('chain.jury.certification')}
              value={certificationId}
              onChange={setCertificationId}
              error={errors.certificationId}
              required
            />
            <JuryScheduleFields
              values={schedule}
              onChange={(change) => setSchedule((v) => ({ ...v, ...change }))}
              errors={errors}
            />
          </Group>
          <JuryMembersEditor members={members} onChange={setMembers} errors={errors} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('chain.jury.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The juries of the certifier, newest first, filtered by certification and status. */
export function JuryListPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { params, update, page } = useUrlFilters();
  const [creating, setCreating] = useState(false);
  const certificationId = uuidLike.test(params.get('certification') ?? '')
    ? params.get('certification')
    : null;
  const status = oneOf(juryStatuses, params.get('status'));
  const query = {
    certificationId: certificationId ?? undefined,
    status,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: ['juries', 'list', query],
    queryFn: () => call(juries.listJuries, { query }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title={t('chain.jury.listTitle')}
        subtitle={t('chain.jury.listSubtitle')}
        actions={
          <Group>
            <ExportButton path={reports.exportJuries.path} query={query} />
            <Button component={Link} to="/certificates" variant="default">
              {t('nav.certificates')}
            </Button>
            {can('jury.manage') && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                {t('chain.jury.new')}
              </Button>
            )}
          </Group>
        }
      />
      <Paper withBorder p="md" mb="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <CertificationPicker
            label={t('chain.filters.certification')}
            placeholder={t('chain.filters.allCertifications')}
            value={certificationId}
            onChange={(id) => update({ certification: id })}
          />
          <Select
            label={t('chain.filters.status')}
            placeholder={t('chain.filters.allStatuses')}
            data={juryStatuses.map((s) => ({ value: s, label: t(`chain.juryStatus.${s}`) }))}
            value={status ?? null}
            onChange={(v) => update({ status: v })}
            clearable
            w={200}
          />
        </Group>
      </Paper>
      {list.error && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table striped highlightOnHover data-testid="juries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('chain.jury.meetsOn')}</Table.Th>
                <Table.Th>{t('chain.jury.certification')}</Table.Th>
                <Table.Th>{t('chain.jury.place')}</Table.Th>
                <Table.Th>{t('chain.jury.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text c="dimmed" ta="center" py="md">
                      {t('chain.jury.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.data.items.map((j) => (
                <Table.Tr key={j.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/juries/${j.id}`} fw={500}>
                      {formatDate(j.meetsOn, i18n.language)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <CertificationCode id={j.certificationId} />
                  </Table.Td>
                  <Table.Td>{j.place ?? t('common.none')}</Table.Td>
                  <Table.Td>
                    <JuryStatusBadge status={j.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Pager
            total={list.data.total}
            limit={PAGE_SIZE}
            page={page}
            onPage={(p) => update({ page: p > 1 ? String(p) : null }, false)}
          />
        </Paper>
      )}
      {creating && <NewJuryModal opened onClose={() => setCreating(false)} />}
    </>
  );
}
