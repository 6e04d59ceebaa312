import {
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import {
  type AssessmentResultView,
  type AssessmentSessionDetail,
  assessmentDecisions,
} from '../../../core/chain/assessment.schema.js';
import { fillPath } from '../../../core/contracts/contract.js';
import { assessments, certifications, reports } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { type FieldErrors, fieldErrorsFromApi } from '../../forms/field-errors.js';
import { formatDateTime, formatNumber } from '../../i18n/format.js';
import { InfoItem } from '../network/parts.js';
import { OrganisationName } from '../organisations/OrganisationName.js';
import { EvaluatorPicker } from './EvaluatorPicker.js';
import { AssessmentStatusBadge, ResultBadge } from './labels.js';
import { CertificationCode, ProblemAlert, personName } from './parts.js';
import { AssessmentScheduleModal } from './ScheduleFields.js';
import { UploadPanel } from './UploadPanel.js';

type Decision = (typeof assessmentDecisions)[number];
interface Column {
  key: string;
  label: string;
  skillBlockId: string | null;
  task: string | null;
}

const columnKey = (r: Pick<AssessmentResultView, 'skillBlockId' | 'assessmentTask'>) =>
  r.skillBlockId ? `b:${r.skillBlockId}` : `t:${r.assessmentTask ?? ''}`;

/** The results grid: one row per candidate, one column per skill block or task. */
function ResultsGrid({
  session,
  results,
  columns,
}: {
  session: AssessmentSessionDetail;
  results: AssessmentResultView[];
  columns: Column[];
}) {
  const { t, i18n } = useTranslation();
  const cell = (candidateId: string, column: Column) =>
    results.find((r) => r.candidateId === candidateId && columnKey(r) === column.key);
  return (
    <Paper withBorder style={{ overflowX: 'auto' }}>
      <Table striped data-testid="results-grid">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('chain.candidate.name')}</Table.Th>
            {columns.map((c) => (
              <Table.Th key={c.key}>{c.label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {session.candidates.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns.length + 1}>
                <Text c="dimmed" ta="center" py="md">
                  {t('chain.assessment.noCandidates')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {session.candidates.map((c) => (
            <Table.Tr key={c.candidateId}>
              <Table.Td>{personName(c)}</Table.Td>
              {columns.map((col) => {
                const r = cell(c.candidateId, col);
                return (
                  <Table.Td key={col.key}>
                    {r ? (
                      <Group gap={6} wrap="nowrap">
                        <ResultBadge decision={r.decision} />
                        {r.score !== null && r.maxScore !== null && (
                          <Text size="sm">
                            {formatNumber(r.score, i18n.language)} / {formatNumber(r.maxScore, i18n.language)}
                          </Text>
                        )}
                      </Group>
                    ) : (
                      <Text c="dimmed" size="sm">
                        {t('common.none')}
                      </Text>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

interface EntryRow {
  decision: Decision | null;
  score: number | string;
}

/** An evaluator's form: pick a block (or name a task), then each candidate's decision and score. */
function ResultEntry({
  session,
  columns,
  onSaved,
}: {
  session: AssessmentSessionDetail;
  columns: Column[];
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const blockColumns = columns.filter((c) => c.skillBlockId);
  const [chosen, setTarget] = useState<string | null>(null);
  // Until one is chosen: the first block of the certification (once known), else a named task.
  const target = chosen ?? blockColumns[0]?.key ?? 'task';
  const [task, setTask] = useState('');
  const [maxScore, setMaxScore] = useState<number | string>(20);
  const [rows, setRows] = useState<Record<string, EntryRow>>({});
  const record = useMutation({
    mutationFn: () => {
      const block = blockColumns.find((c) => c.key === target);
      const results = Object.entries(rows)
        .filter(([, r]) => r.decision)
        .map(([candidateId, r]) => ({
          candidateId,
          ...(block ? { skillBlockId: block.skillBlockId } : { assessmentTask: task.trim() }),
          decision: r.decision as Decision,
          ...(r.decision !== 'absent' && r.score !== ''
            ? { score: Number(r.score), maxScore: maxScore === '' ? null : Number(maxScore) }
            : {}),
        }));
      return call(assessments.recordAssessmentResults, { params: { id: session.id }, body: { results } });
    },
    onSuccess: (saved) => {
      notifications.show({ color: 'teal', message: t('chain.results.saved', { count: saved.items.length }) });
      setRows({});
      onSaved();
    },
  });
  const setRow = (candidateId: string, change: Partial<EntryRow>) =>
    setRows((all) => ({
      ...all,
      [candidateId]: { decision: null, score: '', ...all[candidateId], ...change },
    }));
  const filled = Object.values(rows).filter((r) => r.decision).length;
  return (
    <Paper withBorder p="md" data-testid="result-entry">
      <Stack gap="sm">
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t('chain.results.target')}
            data={[
              ...blockColumns.map((c) => ({ value: c.key, label: c.label })),
              { value: 'task', label: t('chain.results.namedTask') },
            ]}
            value={target}
            onChange={setTarget}
            allowDeselect={false}
            w={360}
            data-testid="result-target"
          />
          {target === 'task' && (
            <TextInput
              label={t('chain.results.taskName')}
              value={task}
              onChange={(e) => setTask(e.currentTarget.value)}
              w={260}
            />
          )}
          <NumberInput
            label={t('chain.results.maxScore')}
            value={maxScore}
            onChange={setMaxScore}
            min={1}
            decimalScale={2}
            decimalSeparator=","
            w={140}
          />
        </Group>
        {record.error && <ProblemAlert error={record.error} />}
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('chain.candidate.name')}</Table.Th>
              <Table.Th w={200}>{t('chain.results.decision')}</Table.Th>
              <Table.Th w={160}>{t('chain.results.score')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {session.candidates.map((c) => {
              const row = rows[c.candidateId];
              return (
                <Table.Tr key={c.candidateId}>
                  <Table.Td>{personName(c)}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('chain.results.decisionFor', { name: personName(c) })}
                      data={assessmentDecisions.map((d) => ({ value: d, label: t(`chain.result.${d}`) }))}
                      value={row?.decision ?? null}
                      onChange={(v) => setRow(c.candidateId, { decision: v as Decision | null })}
                      clearable
                      size="xs"
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={t('chain.results.scoreFor', { name: personName(c) })}
                      value={row?.score ?? ''}
                      onChange={(v) => setRow(c.candidateId, { score: v })}
                      disabled={row?.decision === 'absent'}
                      min={0}
                      decimalScale={2}
                      decimalSeparator=","
                      size="xs"
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end">
          <Button
            onClick={() => record.mutate()}
            loading={record.isPending}
            disabled={filled === 0 || (target === 'task' && !task.trim())}
          >
            {t('chain.results.record', { count: filled })}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/**
 * Changes who evaluates a session, with the same picker as when it was declared (`PUT …/evaluators`: active
 * evaluators only, refused once the session is cancelled, every change in the audit log). Results already
 * recorded keep who recorded them.
 */
function EvaluatorsModal({ session, onClose }: { session: AssessmentSessionDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [userIds, setUserIds] = useState(() => session.evaluators.map((e) => e.userId));
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: () => call(assessments.setEvaluators, { params: { id: session.id }, body: { userIds } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['assessment-sessions', 'one', session.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['assessment-sessions', 'list'] });
      notifications.show({ color: 'teal', message: t('chain.assessment.evaluatorsSaved') });
      onClose();
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate();
  };
  // The picker's errors come as userIds/<i>: shown under it, one per line.
  const pickerError = Object.entries(errors)
    .filter(([field]) => field.startsWith('userIds'))
    .map(([, message]) => message)
    .join(' · ');
  return (
    <Modal opened onClose={onClose} title={t('chain.assessment.editEvaluatorsTitle')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.error && <ProblemAlert error={save.error} />}
          <EvaluatorPicker
            value={userIds}
            onChange={setUserIds}
            error={pickerError || undefined}
            current={session.evaluators}
          />
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
 * One assessment session: when, where, who organises and evaluates it, its candidates and their results per
 * skill block or task. Evaluators (and certifier staff) record results here, by hand or by file.
 */
export function AssessmentSessionDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: ['assessment-sessions', 'one', id],
    queryFn: () => call(assessments.getAssessmentSession, { params: { id } }),
  });
  const results = useQuery({
    queryKey: ['assessment-sessions', 'results', id],
    queryFn: () => call(assessments.listAssessmentResults, { params: { id } }),
  });
  const certification = useQuery({
    queryKey: ['certifications', 'one', detail.data?.certificationId],
    queryFn: () =>
      call(certifications.getCertification, { params: { id: detail.data?.certificationId ?? '' } }),
    enabled: Boolean(detail.data),
  });
  const [incidents, setIncidents] = useState<string | null>(null);
  const [editingEvaluators, setEditingEvaluators] = useState(false);
  const [editingSchedule, setEditingSchedule] = useState(false);
  const update = useMutation({
    mutationFn: (body: { status?: 'held' | 'cancelled'; incidents?: string | null }) =>
      call(assessments.updateAssessmentSession, { params: { id }, body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['assessment-sessions', 'one', id], saved);
      void queryClient.invalidateQueries({ queryKey: ['assessment-sessions', 'list'] });
      setIncidents(null);
      notifications.show({ color: 'teal', message: t('chain.assessment.saved') });
    },
  });
  const refreshResults = () =>
    void queryClient.invalidateQueries({ queryKey: ['assessment-sessions', 'results', id] });

  const columns = useMemo<Column[]>(() => {
    const blocks = (certification.data?.skillBlocks ?? []).map((b) => ({
      key: `b:${b.id}`,
      label: b.code,
      skillBlockId: b.id,
      task: null,
    }));
    const tasks = [
      ...new Set(
        (results.data?.items ?? []).filter((r) => !r.skillBlockId).map((r) => r.assessmentTask ?? ''),
      ),
    ].map((task) => ({ key: `t:${task}`, label: task, skillBlockId: null, task }));
    return [...blocks, ...tasks];
  }, [certification.data, results.data]);

  if (detail.isPending) return <PageLoader />;
  if (detail.error) return <ProblemAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const s = detail.data;
  const mayRecord = can('assessment.record') && s.status !== 'cancelled';
  const mayDeclare = can('chain.declare');
  return (
    <>
      <PageHeader
        title={t('chain.assessment.title', { date: formatDateTime(s.startsAt, i18n.language) })}
        subtitle={s.place ?? undefined}
        back={{ to: '/sessions?tab=assessment', label: t('chain.sessions.title') }}
        badges={<AssessmentStatusBadge status={s.status} />}
        actions={
          mayDeclare &&
          s.status === 'planned' && (
            <Group>
              <Button variant="default" onClick={() => setEditingSchedule(true)} data-testid="edit-schedule">
                {t('chain.assessment.editSchedule')}
              </Button>
              <Button
                variant="default"
                color="red"
                onClick={() => update.mutate({ status: 'cancelled' })}
                loading={update.isPending && update.variables?.status === 'cancelled'}
              >
                {t('chain.assessment.cancel')}
              </Button>
              <Button
                onClick={() => update.mutate({ status: 'held' })}
                loading={update.isPending && update.variables?.status === 'held'}
              >
                {t('chain.assessment.markHeld')}
              </Button>
            </Group>
          )
        }
      />
      {update.error && <ProblemAlert error={update.error} />}
      <Paper withBorder p="lg" mb="lg">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          <InfoItem label={t('chain.assessment.certification')}>
            <CertificationCode id={s.certificationId} />
          </InfoItem>
          <InfoItem label={t('chain.assessment.organiser')}>
            {s.organiserId ? <OrganisationName id={s.organiserId} /> : t('chain.assessment.byCertifier')}
          </InfoItem>
          <InfoItem label={t('chain.assessment.modality')}>{t(`chain.modality.${s.modality}`)}</InfoItem>
          <InfoItem label={t('chain.assessment.evaluators')}>
            <Group gap="xs">
              <Text>{s.evaluators.map((e) => e.displayName).join(', ') || t('common.none')}</Text>
              {mayDeclare && can('user.read') && s.status !== 'cancelled' && (
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() => setEditingEvaluators(true)}
                  data-testid="edit-evaluators"
                >
                  {t('common.edit')}
                </Button>
              )}
            </Group>
          </InfoItem>
          <InfoItem label={t('chain.assessment.candidates')}>{String(s.candidateCount)}</InfoItem>
        </SimpleGrid>
        <Stack gap={6} mt="lg">
          <Textarea
            label={t('chain.assessment.incidents')}
            description={t('chain.assessment.incidentsHelp')}
            value={incidents ?? s.incidents ?? ''}
            onChange={(e) => setIncidents(e.currentTarget.value)}
            readOnly={!mayDeclare}
            autosize
            minRows={2}
          />
          {mayDeclare && incidents !== null && (
            <Group justify="flex-end">
              <Button size="xs" onClick={() => update.mutate({ incidents: incidents.trim() || null })}>
                {t('common.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </Paper>

      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('chain.results.title')}</Title>
        <ExportButton path={fillPath(reports.exportAssessmentResults.path, { id: s.id })} query={{}} />
      </Group>
      {results.error && <ProblemAlert error={results.error} />}
      {results.data && <ResultsGrid session={s} results={results.data.items} columns={columns} />}

      {mayRecord && (
        <Stack gap="md" mt="lg">
          <Title order={4}>{t('chain.results.enterTitle')}</Title>
          {new Date(s.startsAt) > new Date() ? (
            <Text c="dimmed" size="sm">
              {t('chain.results.notYet')}
            </Text>
          ) : (
            <>
              <ResultEntry session={s} columns={columns} onSaved={refreshResults} />
              <Title order={5}>{t('chain.results.byFile')}</Title>
              <UploadPanel
                kind="assessment-results"
                target={{ assessmentSessionId: s.id }}
                onCommitted={refreshResults}
              />
            </>
          )}
        </Stack>
      )}
      {editingSchedule && <AssessmentScheduleModal session={s} onClose={() => setEditingSchedule(false)} />}
      {editingEvaluators && <EvaluatorsModal session={s} onClose={() => setEditingEvaluators(false)} />}
    </>
  );
}
