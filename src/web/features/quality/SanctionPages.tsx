import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { findings, habilitations, reports, sanctions } from '../../../core/contracts/index.js';
import {
  type SanctionLevel,
  type SanctionView,
  sanctionLevels,
} from '../../../core/sanctions/sanction.schema.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDate } from '../../i18n/format.js';
import { DateField, InfoItem, today } from '../network/parts.js';
import { useUrlFilters } from '../network/use-url-filters.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { SanctionLevelBadge, SanctionStatusBadge, StepError } from './parts.js';

const PAGE_SIZE = 25;
const plusDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Proposes a sanction: level (with the suggested one and why), reasons, clause, findings, reply date. */
function ProposeSanctionModal({
  initialOrganisation,
  initialFinding,
  onClose,
}: {
  initialOrganisation: string | null;
  initialFinding: string | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [organisationId, setOrganisationId] = useState<string | null>(initialOrganisation);
  const [level, setLevel] = useState<SanctionLevel | null>(null);
  const [reasons, setReasons] = useState('');
  const [clause, setClause] = useState('');
  const [decidedOn, setDecidedOn] = useState<string | null>(today());
  const [replyDueOn, setReplyDueOn] = useState<string | null>(plusDays(today(), 15));
  const [findingIds, setFindingIds] = useState<string[]>(initialFinding ? [initialFinding] : []);
  const [habilitationId, setHabilitationId] = useState<string | null>(null);

  const suggestion = useQuery({
    queryKey: ['sanctions', 'suggestion', organisationId],
    queryFn: () => call(sanctions.suggestSanction, { query: { organisationId: organisationId ?? '' } }),
    enabled: organisationId !== null,
  });
  const partnerFindings = useQuery({
    queryKey: ['findings', 'list', { organisationId, limit: 200 }],
    queryFn: () =>
      call(findings.listFindings, { query: { organisationId: organisationId ?? '', limit: 200 } }),
    enabled: organisationId !== null,
  });
  const partnerHabilitations = useQuery({
    queryKey: ['habilitations', 'list', { organisationId }],
    queryFn: () =>
      call(habilitations.listHabilitations, { query: { organisationId: organisationId ?? '', limit: 100 } }),
    enabled: organisationId !== null,
  });
  const suggested = suggestion.data?.suggestion ?? null;
  const chosenLevel = level ?? suggested?.level ?? null;

  const create = useMutation({
    mutationFn: () =>
      call(sanctions.createSanction, {
        body: {
          organisationId: organisationId ?? '',
          habilitationId,
          level: chosenLevel ?? 'observation',
          reasons,
          conventionClause: clause || null,
          decidedOn: decidedOn ?? '',
          replyDueOn,
          findingIds,
        },
      }),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: ['sanctions'] });
      notifications.show({ color: 'teal', message: t('quality.sanction.form.created') });
      onClose();
      navigate(`/sanctions/${s.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <Modal opened onClose={onClose} title={t('quality.sanction.form.title')} size="xl">
      <form onSubmit={submit}>
        <Stack>
          <OrganisationPicker
            label={t('quality.sanction.form.organisation')}
            value={organisationId}
            onChange={(v) => {
              setOrganisationId(v);
              setFindingIds([]);
              setHabilitationId(null);
            }}
            required
          />
          {suggested && (
            <Alert
              color="orange"
              variant="light"
              title={t('quality.sanction.form.suggestion', { level: t(`quality.levels.${suggested.level}`) })}
            >
              <Stack gap={2}>
                {suggested.reasons.map((r) => (
                  <Text size="sm" key={r.code}>
                    {r.code === 'previous_sanction'
                      ? t('quality.sanction.why.previous_sanction', {
                          level: t(`quality.levels.${r.level}`),
                          date: formatDate(r.decidedOn, i18n.language),
                        })
                      : r.code === 'repeated_major'
                        ? t('quality.sanction.why.repeated_major', { count: r.count, months: r.months })
                        : t(`quality.sanction.why.${r.code}`, { count: r.count })}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          <Select
            label={t('quality.sanction.form.level')}
            data={sanctionLevels.map((l) => ({ value: l, label: t(`quality.levels.${l}`) }))}
            value={chosenLevel}
            onChange={(v) => setLevel(v as SanctionLevel | null)}
            required
            allowDeselect={false}
          />
          {chosenLevel && chosenLevel !== 'observation' && chosenLevel !== 'warning' && (
            <Text size="sm" c="dimmed">
              {t(`quality.sanction.effect.${chosenLevel}`)}
            </Text>
          )}
          <MultiSelect
            label={t('quality.sanction.form.findings')}
            description={t('quality.sanction.form.findingsHint')}
            data={(partnerFindings.data?.items ?? []).map((f) => ({
              value: f.id,
              label: `${t(`quality.severity.${f.severity}`)} · ${f.title}`,
            }))}
            value={findingIds}
            onChange={setFindingIds}
            searchable
            withAsterisk
          />
          <Select
            label={t('quality.sanction.form.habilitation')}
            placeholder={t('quality.sanction.allHabilitations')}
            data={(partnerHabilitations.data?.items ?? []).map((h) => ({
              value: h.id,
              label: `${h.certificationCode} — ${t(`habilitations.status.${h.status}`)}`,
            }))}
            value={habilitationId}
            onChange={setHabilitationId}
            clearable
          />
          <Textarea
            label={t('quality.sanction.form.reasons')}
            required
            autosize
            minRows={3}
            value={reasons}
            onChange={(e) => setReasons(e.currentTarget.value)}
          />
          <TextInput
            label={t('quality.sanction.form.clause')}
            required
            value={clause}
            onChange={(e) => setClause(e.currentTarget.value)}
          />
          <Group grow align="flex-start">
            <DateField
              label={t('quality.sanction.form.decidedOn')}
              value={decidedOn}
              onChange={setDecidedOn}
              required
            />
            <DateField
              label={t('quality.sanction.form.replyDueOn')}
              value={replyDueOn}
              onChange={setReplyDueOn}
              clearable
            />
          </Group>
          <StepError error={create.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} disabled={!organisationId}>
              {t('quality.sanction.form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Sanctions of the network (a partner: those notified to it). */
export function SanctionListPage() {
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  const isPartner = session?.user.role === 'partner';
  const { params, update, page } = useUrlFilters();
  const proposing = params.get('new') === '1' && can('sanction.manage');
  const query = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const list = useQuery({
    queryKey: ['sanctions', 'list', query],
    queryFn: () => call(sanctions.listSanctions, { query }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title={t('quality.sanctions.title')}
        subtitle={isPartner ? t('quality.sanctions.partnerSubtitle') : t('quality.sanctions.subtitle')}
        actions={
          <Group gap="sm">
            <ExportButton path={reports.exportSanctions.path} query={query} />
            {can('sanction.manage') && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => update({ new: '1' }, false)}>
                {t('quality.sanctions.new')}
              </Button>
            )}
          </Group>
        }
      />
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={680}>
            <Table aria-label={t('quality.sanctions.title')} highlightOnHover>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th>{t('quality.sanctions.columns.partner')}</Table.Th>
                  <Table.Th>{t('quality.sanctions.columns.level')}</Table.Th>
                  <Table.Th>{t('quality.sanctions.columns.decided')}</Table.Th>
                  <Table.Th>{t('quality.sanctions.columns.reply')}</Table.Th>
                  <Table.Th>{t('quality.sanctions.columns.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/sanctions/${s.id}`} size="sm" fw={500}>
                        {s.organisationName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <SanctionLevelBadge level={s.level} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(s.decidedOn, i18n.language)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {s.reply
                          ? t('quality.sanctions.replied')
                          : s.replyDueOn
                            ? t('quality.sanctions.replyDue', {
                                date: formatDate(s.replyDueOn, i18n.language),
                              })
                            : '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <SanctionStatusBadge status={s.status} />
                    </Table.Td>
                  </Table.Tr>
                ))}
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text c="dimmed" ta="center" py="lg">
                        {t('quality.sanctions.empty')}
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
      {proposing && (
        <ProposeSanctionModal
          initialOrganisation={params.get('organisation')}
          initialFinding={params.get('finding')}
          onClose={() => update({ new: null, organisation: null, finding: null }, false)}
        />
      )}
    </>
  );
}

/** A cited finding, by its title (the sanction keeps only its id). */
function FindingLink({ id }: { id: string }) {
  const finding = useQuery({
    queryKey: ['findings', 'one', id],
    queryFn: () => call(findings.getFinding, { params: { id } }),
    staleTime: 60_000,
  });
  return (
    <Anchor component={Link} to={`/findings/${id}`} size="sm">
      {finding.data ? `${finding.data.title}` : id.slice(0, 8)}
    </Anchor>
  );
}

/** One sanction: its reasons, clause, findings; notify, make final, cancel; the partner's reply. */
export function SanctionDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  const queryClient = useQueryClient();
  const [reply, setReply] = useState('');
  const sanction = useQuery({
    queryKey: ['sanctions', 'one', id],
    queryFn: () => call(sanctions.getSanction, { params: { id } }),
  });
  const done = (s: SanctionView) => {
    queryClient.setQueryData(['sanctions', 'one', id], s);
    void queryClient.invalidateQueries({ queryKey: ['sanctions', 'list'] });
    void queryClient.invalidateQueries({ queryKey: ['habilitations'] });
  };
  const move = useMutation({
    mutationFn: (status: 'notified' | 'final' | 'cancelled') =>
      call(sanctions.updateSanction, { params: { id }, body: { status } }),
    onSuccess: done,
  });
  const answer = useMutation({
    mutationFn: () => call(sanctions.replyToSanction, { params: { id }, body: { reply } }),
    onSuccess: done,
  });
  if (sanction.error) return <ErrorAlert error={sanction.error} onRetry={() => void sanction.refetch()} />;
  if (!sanction.data) return <PageLoader />;
  const s = sanction.data;
  const manage = can('sanction.manage');
  const isPartner = session?.user.role === 'partner';

  return (
    <>
      <PageHeader
        back={{ to: '/sanctions', label: t('quality.sanction.back') }}
        title={`${t(`quality.levels.${s.level}`)} — ${s.organisationName}`}
        subtitle={formatDate(s.decidedOn, i18n.language)}
        badges={<SanctionStatusBadge status={s.status} />}
        actions={
          manage && (
            <Group gap="xs">
              {s.status === 'proposed' && (
                <Button onClick={() => move.mutate('notified')} loading={move.isPending}>
                  {t('quality.sanction.notify')}
                </Button>
              )}
              {s.status === 'notified' && (
                <Button color="red" onClick={() => move.mutate('final')} loading={move.isPending}>
                  {t('quality.sanction.makeFinal')}
                </Button>
              )}
              {(s.status === 'proposed' || s.status === 'notified') && (
                <Button variant="default" onClick={() => move.mutate('cancelled')}>
                  {t('quality.sanction.cancel')}
                </Button>
              )}
            </Group>
          )
        }
      />
      <Stack gap="md" maw={900}>
        <StepError error={move.error} />
        {s.level !== 'observation' && s.level !== 'warning' && (
          <Text size="sm" c="dimmed">
            {t(`quality.sanction.effect.${s.level}`)}
          </Text>
        )}
        {s.appliedAt && (
          <Alert color="red" variant="light">
            {t('quality.sanction.applied', { date: formatDate(s.appliedAt.slice(0, 10), i18n.language) })}
          </Alert>
        )}
        <Paper withBorder p="md">
          <Stack gap="sm">
            <InfoItem label={t('quality.sanction.reasons')}>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {s.reasons}
              </Text>
            </InfoItem>
            <InfoItem label={t('quality.sanction.clause')}>{s.conventionClause}</InfoItem>
            <InfoItem label={t('quality.sanction.findings')}>
              <Stack gap={2}>
                {s.findingIds.map((f) => (
                  <FindingLink key={f} id={f} />
                ))}
              </Stack>
            </InfoItem>
            <InfoItem label={t('quality.sanction.habilitation')}>
              {s.habilitationId ? (
                <Anchor component={Link} to={`/habilitations/${s.habilitationId}`} size="sm">
                  {s.habilitationId.slice(0, 8)}
                </Anchor>
              ) : (
                t('quality.sanction.allHabilitations')
              )}
            </InfoItem>
          </Stack>
        </Paper>
        <Paper withBorder p="md">
          <Title order={4} mb="xs">
            {t('quality.sanction.reply')}
          </Title>
          {s.reply ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {s.reply}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              {t('quality.sanction.noReply')}{' '}
              {s.replyDueOn &&
                t(s.replyDueOn < today() ? 'quality.sanction.replyExpired' : 'quality.sanction.replyDue', {
                  date: formatDate(s.replyDueOn, i18n.language),
                })}
            </Text>
          )}
          {isPartner && can('sanction.answer') && s.status === 'notified' && !s.reply && (
            <Stack mt="sm">
              <Textarea
                label={t('quality.sanction.answerLabel')}
                autosize
                minRows={4}
                value={reply}
                onChange={(e) => setReply(e.currentTarget.value)}
              />
              <StepError error={answer.error} />
              <Group justify="flex-end">
                <Button onClick={() => answer.mutate()} loading={answer.isPending} disabled={!reply.trim()}>
                  {t('quality.sanction.sendReply')}
                </Button>
              </Group>
            </Stack>
          )}
        </Paper>
      </Stack>
    </>
  );
}
