import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { fillPath } from '../../../core/contracts/contract.js';
import { certificates, certifications, juries, reports } from '../../../core/contracts/index.js';
import {
  certifyingDecisions,
  type DeliberationDecision,
  deliberationDecisions,
  type JuryCandidateView,
  type JuryDetail,
  type JuryStatus,
} from '../../../core/juries/jury.schema.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { type FieldErrors, fieldErrorsFromApi } from '../../forms/field-errors.js';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format.js';
import { InfoItem } from '../network/parts.js';
import { CandidateEditButton } from './CandidateModal.js';
import { certificatePdfUrl, juryMinutesUrl } from './chain-api.js';
import { JuryMembersEditor, type MemberValues, memberValuesOf, toMemberInput } from './JuryMembersEditor.js';
import { DecisionBadge, JuryStatusBadge, ResultBadge } from './labels.js';
import { AccrochageStatusBadge, CertificationCode, ProblemAlert, personName } from './parts.js';
import { JuryScheduleModal } from './ScheduleFields.js';

function DeliberationModal({
  juryId,
  certificationId,
  candidate,
  onClose,
}: {
  juryId: string;
  certificationId: string;
  candidate: JuryCandidateView;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<DeliberationDecision | null>(null);
  const [blockIds, setBlockIds] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const certification = useQuery({
    queryKey: ['certifications', 'one', certificationId],
    queryFn: () => call(certifications.getCertification, { params: { id: certificationId } }),
  });
  const deliberate = useMutation({
    mutationFn: () =>
      call(juries.deliberate, {
        params: { id: juryId },
        body: {
          candidateId: candidate.candidateId,
          decision: decision ?? ('' as DeliberationDecision),
          skillBlockIds: decision === 'certified_by_blocks' ? blockIds : [],
          note: note.trim() || null,
        },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['juries'] });
      notifications.show({ color: 'teal', message: t('chain.jury.deliberated') });
      onClose();
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    deliberate.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('chain.jury.deliberateTitle', { name: personName(candidate) })}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {deliberate.error && <ProblemAlert error={deliberate.error} />}
          <Select
            label={t('chain.jury.decision')}
            data={deliberationDecisions.map((d) => ({ value: d, label: t(`chain.decision.${d}`) }))}
            value={decision}
            onChange={(v) => setDecision(v as DeliberationDecision | null)}
            error={errors.decision}
            required
            data-testid="decision"
          />
          {decision === 'certified_by_blocks' && (
            <MultiSelect
              label={t('chain.jury.blocksValidated')}
              data={(certification.data?.skillBlocks ?? []).map((b) => ({
                value: b.id,
                label: `${b.code} — ${b.title}`,
              }))}
              value={blockIds}
              onChange={setBlockIds}
              error={errors.skillBlockIds}
              required
            />
          )}
          <Textarea
            label={t('chain.jury.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={errors.note}
            autosize
            minRows={2}
          />
          <Text size="xs" c="dimmed">
            {t('chain.jury.final')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={deliberate.isPending}>
              {t('chain.jury.recordDecision')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Changes the composition of a jury whose minutes are not signed yet, with the same editor as when it was
 * convened (`PUT /api/juries/:id/members`; every change is in the audit log with the members before and after).
 */
function JuryMembersModal({ jury, onClose }: { jury: JuryDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [members, setMembers] = useState<MemberValues[]>(() => jury.members.map(memberValuesOf));
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: () =>
      call(juries.setJuryMembers, {
        params: { id: jury.id },
        body: { members: members.map(toMemberInput) },
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['juries', 'one', jury.id], saved);
      notifications.show({ color: 'teal', message: t('chain.jury.membersSaved') });
      onClose();
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('chain.jury.editMembersTitle')} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.error && <ProblemAlert error={save.error} />}
          <Text size="sm" c="dimmed">
            {t('chain.jury.editMembersHelp')}
          </Text>
          <JuryMembersEditor members={members} onChange={setMembers} errors={errors} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * One jury: its members and their declarations, each candidate assessed for the certification with the results
 * per block or task, the decision taken, and the certificate issued from it; the minutes (PV) as a PDF, signed
 * by the president.
 */
export function JuryDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [deliberating, setDeliberating] = useState<JuryCandidateView | null>(null);
  const [editingMembers, setEditingMembers] = useState(false);
  const [editingSchedule, setEditingSchedule] = useState(false);
  const jury = useQuery({
    queryKey: ['juries', 'one', id],
    queryFn: () => call(juries.getJury, { params: { id } }),
  });
  const candidates = useQuery({
    queryKey: ['juries', 'candidates', id],
    queryFn: () => call(juries.listJuryCandidates, { params: { id } }),
  });
  const move = useMutation({
    mutationFn: (status: JuryStatus) => call(juries.updateJury, { params: { id }, body: { status } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['juries', 'one', id], saved);
      void queryClient.invalidateQueries({ queryKey: ['juries', 'list'] });
      notifications.show({ color: 'teal', message: t(`chain.jury.moved.${saved.status}`) });
    },
  });
  const issue = useMutation({
    mutationFn: (deliberationId: string) => call(certificates.issueCertificate, { body: { deliberationId } }),
    onSuccess: (certificate) => {
      void queryClient.invalidateQueries({ queryKey: ['juries', 'candidates', id] });
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
      notifications.show({
        color: 'teal',
        message: t('chain.certificate.issued', { number: certificate.number }),
      });
    },
  });

  if (jury.isPending) return <PageLoader />;
  if (jury.error) return <ProblemAlert error={jury.error} onRetry={() => void jury.refetch()} />;
  const j = jury.data;
  const manage = can('jury.manage');
  const president = j.members.find((m) => m.role === 'president');
  return (
    <>
      <PageHeader
        title={t('chain.jury.title', { date: formatDate(j.meetsOn, i18n.language) })}
        subtitle={j.place ?? undefined}
        back={{ to: '/juries', label: t('chain.jury.listTitle') }}
        badges={<JuryStatusBadge status={j.status} />}
        actions={
          <Group>
            <Button component="a" href={juryMinutesUrl(id)} variant="default" data-testid="minutes-pdf">
              {j.status === 'signed' ? t('chain.jury.minutesSigned') : t('chain.jury.minutesDraft')}
            </Button>
            {manage && j.status !== 'signed' && (
              <Button variant="default" onClick={() => setEditingSchedule(true)} data-testid="edit-schedule">
                {t('chain.jury.editSchedule')}
              </Button>
            )}
            {manage && j.status === 'planned' && (
              <Button
                onClick={() => move.mutate('deliberated')}
                loading={move.isPending}
                disabled={j.deliberations.length === 0}
              >
                {t('chain.jury.close')}
              </Button>
            )}
            {manage && j.status === 'deliberated' && (
              <Button onClick={() => move.mutate('signed')} loading={move.isPending}>
                {t('chain.jury.sign', { name: president?.fullName ?? '?' })}
              </Button>
            )}
          </Group>
        }
      />
      {(move.error || issue.error) && <ProblemAlert error={move.error ?? issue.error} />}
      <Paper withBorder p="lg" mb="lg">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg" mb="md">
          <InfoItem label={t('chain.jury.certification')}>
            <CertificationCode id={j.certificationId} />
          </InfoItem>
          <InfoItem label={t('chain.jury.signedAt')}>
            {j.signedAt ? formatDateTime(j.signedAt, i18n.language) : null}
          </InfoItem>
        </SimpleGrid>
        <Group justify="space-between" mb={4}>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            {t('chain.jury.members')}
          </Text>
          <Group gap="xs">
            <ExportButton path={fillPath(reports.exportJuryMembers.path, { id: j.id })} query={{}} />
            {manage && j.status !== 'signed' && (
              <Button
                size="xs"
                variant="light"
                onClick={() => setEditingMembers(true)}
                data-testid="edit-members"
              >
                {t('chain.jury.editMembers')}
              </Button>
            )}
          </Group>
        </Group>
        {j.members.length === 0 && <Text size="sm">{t('chain.jury.noMembers')}</Text>}
        <Stack gap={4}>
          {j.members.map((m) => (
            <Group key={m.id} gap="xs">
              <Text size="sm" fw={m.role === 'president' ? 600 : 400}>
                {m.fullName}
              </Text>
              <Badge size="sm" variant="light" radius="sm">
                {t(`chain.memberRole.${m.role}`)}
              </Badge>
              {m.hasConflictOfInterest && (
                <Badge size="sm" color="red" variant="light" radius="sm" title={m.conflictNote ?? undefined}>
                  {t('chain.jury.conflictDeclared')}
                </Badge>
              )}
              {m.conflictNote && (
                <Text size="xs" c="dimmed">
                  {m.conflictNote}
                </Text>
              )}
            </Group>
          ))}
        </Stack>
      </Paper>

      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('chain.jury.candidatesTitle')}</Title>
        <ExportButton path={fillPath(reports.exportJuryCandidates.path, { id: j.id })} query={{}} />
      </Group>
      {candidates.error && <ProblemAlert error={candidates.error} />}
      {candidates.data && (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table striped data-testid="jury-candidates">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('chain.candidate.name')}</Table.Th>
                <Table.Th>{t('chain.results.title')}</Table.Th>
                <Table.Th>{t('chain.jury.decision')}</Table.Th>
                <Table.Th>{t('chain.certificate.title')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {candidates.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text c="dimmed" ta="center" py="md">
                      {t('chain.jury.noCandidates')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {candidates.data.items.map((c) => (
                <Table.Tr key={c.candidateId}>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" align="flex-start">
                      <div>
                        <Text size="sm">{personName(c)}</Text>
                        {c.birthDate && (
                          <Text size="xs" c="dimmed">
                            {formatDate(c.birthDate, i18n.language)}
                          </Text>
                        )}
                      </div>
                      <CandidateEditButton
                        candidateId={c.candidateId}
                        onSaved={() =>
                          void queryClient.invalidateQueries({ queryKey: ['juries', 'candidates', id] })
                        }
                      />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {c.results.map((r) => (
                        <Group gap={6} key={`${r.assessmentSessionId}-${r.skillBlockId ?? r.assessmentTask}`}>
                          <Text size="xs" ff="monospace">
                            {r.skillBlockCode ?? r.assessmentTask}
                          </Text>
                          <ResultBadge decision={r.decision} />
                          {r.score !== null && r.maxScore !== null && (
                            <Text size="xs">
                              {formatNumber(r.score, i18n.language)} /{' '}
                              {formatNumber(r.maxScore, i18n.language)}
                            </Text>
                          )}
                        </Group>
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {c.deliberation ? (
                      <DecisionBadge decision={c.deliberation.decision} />
                    ) : manage && j.status === 'planned' ? (
                      <Button size="xs" onClick={() => setDeliberating(c)}>
                        {t('chain.jury.deliberate')}
                      </Button>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('chain.jury.noDecision')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.certificate ? (
                      <Group gap={6}>
                        <Anchor href={certificatePdfUrl(c.certificate.id)} size="sm">
                          {c.certificate.number}
                        </Anchor>
                        {c.certificate.revoked ? (
                          <Badge color="red" variant="light" radius="sm">
                            {t('chain.certificate.revoked')}
                          </Badge>
                        ) : (
                          <AccrochageStatusBadge status={c.certificate.accrochageStatus} />
                        )}
                      </Group>
                    ) : c.deliberation &&
                      certifyingDecisions.includes(c.deliberation.decision) &&
                      can('certificate.manage') ? (
                      // The certificate rests on the signed minutes (the server refuses before).
                      j.status === 'signed' ? (
                        <Button
                          size="xs"
                          variant="light"
                          loading={issue.isPending && issue.variables === c.deliberation.id}
                          onClick={() => c.deliberation && issue.mutate(c.deliberation.id)}
                        >
                          {t('chain.certificate.issue')}
                        </Button>
                      ) : (
                        <Text size="xs" c="dimmed">
                          {t('chain.certificate.afterClosing')}
                        </Text>
                      )
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('common.none')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editingMembers && <JuryMembersModal jury={j} onClose={() => setEditingMembers(false)} />}
      {editingSchedule && <JuryScheduleModal jury={j} onClose={() => setEditingSchedule(false)} />}
      {deliberating && (
        <DeliberationModal
          juryId={id}
          certificationId={j.certificationId}
          candidate={deliberating}
          onClose={() => setDeliberating(null)}
        />
      )}
    </>
  );
}
