import {
  Anchor,
  Button,
  Card,
  FileInput,
  Grid,
  Group,
  Modal,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { evidence, findings } from '../../../core/contracts/index.js';
import {
  type CorrectiveActionView,
  type FindingDetail,
  type Severity,
  severities,
} from '../../../core/findings/finding.schema.js';
import { call } from '../../api/client.js';
import { useSession, useSignedIn } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate, formatDateTime } from '../../i18n/format.js';
import { downloadUrl, uploadEvidenceFile } from '../evidence/evidence-upload.js';
import { DateField, InfoItem } from '../network/parts.js';
import { FindingStatusBadge, SeverityBadge, StepError } from './parts.js';

const logKeys = [
  'finding_refresh',
  'finding_update',
  'finding_remind',
  'corrective_action_review',
  'corrective_action_effectiveness',
] as const;
type LogKey = (typeof logKeys)[number];
/** The message key of an audit-log action (`finding.refresh` → `finding_refresh`), or `other`. */
const logKey = (action: string): LogKey | 'other' => {
  const key = action.replace('.', '_');
  return (logKeys as readonly string[]).includes(key) ? (key as LogKey) : 'other';
};

type StepKind = 'qualify' | 'request' | 'answer' | 'complete' | 'check' | 'close' | 'escalate' | 'reopen';

interface StepState {
  kind: StepKind;
  action?: CorrectiveActionView;
}

/** The modal of one step of the finding's life, with the fields that step needs. */
function StepModal({
  finding,
  step,
  onClose,
}: {
  finding: FindingDetail;
  step: StepState;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [severity, setSeverity] = useState<Severity>(finding.severity);
  const [text, setText] = useState('');
  const [owner, setOwner] = useState('');
  const [date, setDate] = useState<string | null>(null);
  const [effective, setEffective] = useState<'yes' | 'no'>('yes');
  const [files, setFiles] = useState<File[]>([]);
  const id = finding.id;

  const uploadAll = async (actionId: string) => {
    for (const file of files)
      await uploadEvidenceFile(
        file,
        { entityType: 'corrective_action', entityId: actionId, description: file.name },
        session.csrfToken,
      );
  };

  const run = useMutation({
    mutationFn: async (): Promise<FindingDetail> => {
      switch (step.kind) {
        case 'qualify':
          return call(findings.qualifyFinding, { params: { id }, body: { severity, rootCause: text } });
        case 'request':
          return call(findings.requestCorrectiveAction, {
            params: { id },
            body: { dueOn: date ?? '', message: text },
          });
        case 'answer': {
          const after = await call(findings.submitCorrectiveAction, {
            params: { id },
            body: { description: text, ownerName: owner || null, dueOn: date ?? '' },
          });
          const created = after.correctiveActions.at(-1);
          if (created && files.length) await uploadAll(created.id);
          return after;
        }
        case 'complete': {
          const actionId = step.action?.id ?? '';
          if (files.length) await uploadAll(actionId);
          return call(findings.completeCorrectiveAction, {
            params: { id, actionId },
            body: { note: text },
          });
        }
        case 'check':
          return call(findings.checkEffectiveness, {
            params: { id, actionId: step.action?.id ?? '' },
            body: {
              effective: effective === 'yes',
              note: text,
              ...(effective === 'no' && date ? { newDueOn: date } : {}),
            },
          });
        default: {
          const to = step.kind === 'close' ? 'closed' : step.kind === 'escalate' ? 'escalated' : 'open';
          return call(findings.transitionFinding, {
            params: { id },
            body: { to, ...(text.trim() ? { note: text } : {}) },
          });
        }
      }
    },
    onSuccess: (after) => {
      queryClient.setQueryData(['findings', 'one', id], after);
      void queryClient.invalidateQueries({ queryKey: ['findings', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['evidence'] });
      notifications.show({ color: 'teal', message: t('quality.finding.done') });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  const title = t(
    `quality.finding.steps.${
      step.kind === 'request' && finding.status === 'action_requested' ? 'renew' : step.kind
    }`,
  );
  const fileField = (
    <FileInput
      label={t('quality.finding.form.files')}
      multiple
      clearable
      value={files}
      onChange={setFiles}
      accept="application/pdf,image/*,.xlsx,.xls,.csv,.docx,.odt,.ods"
    />
  );

  let fields: ReactNode = null;
  switch (step.kind) {
    case 'qualify':
      fields = (
        <>
          <Select
            label={t('quality.finding.form.severity')}
            data={severities.map((s) => ({ value: s, label: t(`quality.severity.${s}`) }))}
            value={severity}
            onChange={(v) => v && setSeverity(v as Severity)}
            allowDeselect={false}
          />
          <Textarea
            label={t('quality.finding.form.rootCause')}
            description={t('quality.finding.form.rootCauseHint')}
            required
            autosize
            minRows={3}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
        </>
      );
      break;
    case 'request':
      fields = (
        <>
          <Textarea
            label={t('quality.finding.form.message')}
            required
            autosize
            minRows={3}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <DateField label={t('quality.finding.form.dueOn')} value={date} onChange={setDate} required />
        </>
      );
      break;
    case 'answer':
      fields = (
        <>
          <Textarea
            label={t('quality.finding.form.description')}
            required
            autosize
            minRows={3}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <TextInput
            label={t('quality.finding.form.ownerName')}
            value={owner}
            onChange={(e) => setOwner(e.currentTarget.value)}
          />
          <DateField label={t('quality.finding.form.actionDueOn')} value={date} onChange={setDate} required />
          {fileField}
        </>
      );
      break;
    case 'complete':
      fields = (
        <>
          <Textarea
            label={t('quality.finding.form.note')}
            required
            autosize
            minRows={3}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          {fileField}
        </>
      );
      break;
    case 'check':
      fields = (
        <>
          <Radio.Group value={effective} onChange={(v) => setEffective(v as 'yes' | 'no')}>
            <Stack gap="xs">
              <Radio value="yes" label={t('quality.finding.form.effective')} />
              <Radio value="no" label={t('quality.finding.form.ineffective')} />
            </Stack>
          </Radio.Group>
          <Textarea
            label={t('quality.finding.form.effectivenessNote')}
            required
            autosize
            minRows={3}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          {effective === 'no' && (
            <DateField label={t('quality.finding.form.newDueOn')} value={date} onChange={setDate} required />
          )}
        </>
      );
      break;
    default:
      fields = (
        <Textarea
          label={t('quality.finding.form.closeNote')}
          autosize
          minRows={2}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
      );
  }

  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form onSubmit={submit}>
        <Stack>
          {fields}
          <StepError error={run.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={run.isPending}>
              {t('quality.finding.form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ActionEvidence({ actionId }: { actionId: string }) {
  const { t } = useTranslation();
  const files = useQuery({
    queryKey: ['evidence', 'corrective_action', actionId],
    queryFn: () =>
      call(evidence.listEvidence, {
        query: { entityType: 'corrective_action', entityId: actionId, limit: 50 },
      }),
  });
  if (!files.data) return null;
  if (files.data.items.length === 0)
    return (
      <Text size="xs" c="dimmed">
        {t('quality.finding.noEvidence')}
      </Text>
    );
  return (
    <Group gap="xs">
      <Text size="xs" fw={600}>
        {t('quality.finding.evidence')} :
      </Text>
      {files.data.items.map((f) => (
        <Anchor key={f.id} href={downloadUrl(f.id)} size="xs" target="_blank">
          {f.fileName}
        </Anchor>
      ))}
    </Group>
  );
}

/**
 * One finding: where it came from, its qualification, the request to the partner, the partner's
 * corrective actions with their evidence, the reminders, and its history. The buttons are the steps the
 * viewer may take now (certifier staff, or the partner answering).
 */
export function FindingDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  const [step, setStep] = useState<StepState | null>(null);
  const finding = useQuery({
    queryKey: ['findings', 'one', id],
    queryFn: () => call(findings.getFinding, { params: { id } }),
  });
  if (finding.error) return <ErrorAlert error={finding.error} onRetry={() => void finding.refetch()} />;
  if (!finding.data) return <PageLoader />;
  const f = finding.data;
  const staff = can('finding.manage');
  const partner = can('finding.answer') && session?.user.role === 'partner';

  const buttons: ReactNode[] = [];
  const stepButton = (
    kind: StepKind,
    variant: 'filled' | 'light' | 'default' = 'filled',
    action?: CorrectiveActionView,
  ) => (
    <Button
      key={`${kind}-${action?.id ?? ''}`}
      variant={variant}
      size="sm"
      onClick={() => setStep(action ? { kind, action } : { kind })}
    >
      {t(`quality.finding.steps.${kind === 'request' && f.status === 'action_requested' ? 'renew' : kind}`)}
    </Button>
  );
  if (staff) {
    if (f.status === 'open') buttons.push(stepButton('qualify'));
    if (f.status === 'qualified' || f.status === 'escalated' || f.status === 'action_requested')
      buttons.push(stepButton('request', f.status === 'action_requested' ? 'default' : 'filled'));
    if (f.status === 'verified') buttons.push(stepButton('close'));
    if (['open', 'qualified', 'escalated'].includes(f.status)) buttons.push(stepButton('close', 'default'));
    if (['open', 'qualified', 'action_requested', 'action_submitted'].includes(f.status))
      buttons.push(stepButton('escalate', 'light'));
    if (f.status === 'verified' || f.status === 'closed') buttons.push(stepButton('reopen', 'default'));
    if (f.organisationId && can('sanction.manage') && f.status !== 'closed')
      buttons.push(
        <Button
          key="sanction"
          component={Link}
          to={`/sanctions?new=1&organisation=${f.organisationId}&finding=${f.id}`}
          variant="light"
          color="red"
          size="sm"
        >
          {t('quality.finding.steps.sanction')}
        </Button>,
      );
  }
  if (partner && f.status === 'action_requested') buttons.push(stepButton('answer'));

  const source = f.checkpoint
    ? t('quality.finding.fromCheckpoint', {
        code: f.checkpoint.code,
        requirement: f.checkpoint.requirementRef,
      })
    : f.ruleId
      ? t('quality.finding.fromRule', { rule: f.ruleId })
      : null;

  return (
    <>
      <PageHeader
        back={{ to: '/findings', label: t('quality.finding.back') }}
        title={f.title}
        subtitle={f.organisationName ?? t('quality.finding.network')}
        badges={
          <Group gap={6}>
            <SeverityBadge severity={f.severity} />
            <FindingStatusBadge status={f.status} />
          </Group>
        }
        actions={buttons.length > 0 && <Group gap="xs">{buttons}</Group>}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Paper withBorder p="md">
              <Stack gap="sm">
                <InfoItem label={t('quality.finding.description')}>
                  {f.description && (
                    <Text style={{ whiteSpace: 'pre-wrap' }} size="sm">
                      {f.description}
                    </Text>
                  )}
                </InfoItem>
                <InfoItem label={t('quality.finding.source')}>
                  {source && (
                    <Group gap="xs">
                      <Text size="sm">{source}</Text>
                      {f.checkpoint && staff && (
                        <Anchor component={Link} to={`/controls/${f.checkpoint.controlId}`} size="sm">
                          {t('quality.finding.openAudit')}
                        </Anchor>
                      )}
                    </Group>
                  )}
                </InfoItem>
              </Stack>
            </Paper>
            <Paper withBorder p="md">
              <Title order={4} mb="xs">
                {t('quality.finding.qualification')}
              </Title>
              {f.rootCause ? (
                <InfoItem label={t('quality.finding.rootCause')}>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {f.rootCause}
                  </Text>
                </InfoItem>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('quality.finding.notQualified')}
                </Text>
              )}
            </Paper>
            <Paper withBorder p="md">
              <Title order={4} mb="xs">
                {t('quality.finding.request')}
              </Title>
              {f.actionRequest ? (
                <Stack gap={4}>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {f.actionRequest}
                  </Text>
                  {f.actionDueOn && (
                    <Text size="sm" fw={600}>
                      {t('quality.finding.dueOn', { date: formatDate(f.actionDueOn, i18n.language) })}
                    </Text>
                  )}
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('quality.finding.noRequest')}
                </Text>
              )}
            </Paper>
            <Paper withBorder p="md">
              <Title order={4} mb="xs">
                {t('quality.finding.actions')}
              </Title>
              {f.correctiveActions.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('quality.finding.noActions')}
                </Text>
              )}
              <Stack gap="sm">
                {f.correctiveActions.map((a) => (
                  <Card key={a.id} withBorder padding="sm">
                    <Stack gap={4}>
                      <Group justify="space-between" align="flex-start" wrap="nowrap">
                        <Text size="sm" fw={500} style={{ whiteSpace: 'pre-wrap' }}>
                          {a.description}
                        </Text>
                        <Text size="xs" fw={600} c="dimmed" tt="uppercase">
                          {t(`quality.actionStatus.${a.status}`)}
                        </Text>
                      </Group>
                      <Text size="xs" c="dimmed">
                        {[
                          a.ownerName ? t('quality.finding.owner', { name: a.ownerName }) : null,
                          t('quality.finding.actionDue', { date: formatDate(a.dueOn, i18n.language) }),
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </Text>
                      {a.completionNote && (
                        <Text size="sm">{t('quality.finding.completion', { note: a.completionNote })}</Text>
                      )}
                      {a.effectivenessNote && (
                        <Text size="sm">
                          {t('quality.finding.effectiveness', { note: a.effectivenessNote })}
                        </Text>
                      )}
                      <ActionEvidence actionId={a.id} />
                      <Group gap="xs">
                        {partner &&
                          f.status === 'action_submitted' &&
                          (a.status === 'proposed' || a.status === 'accepted') &&
                          stepButton('complete', 'light', a)}
                        {staff && a.status === 'done' && stepButton('check', 'filled', a)}
                        {staff && a.status === 'proposed' && <AcceptReject findingId={f.id} action={a} />}
                      </Group>
                    </Stack>
                  </Card>
                ))}
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            {f.reminders.length > 0 && (
              <Paper withBorder p="md">
                <Title order={4} mb="xs">
                  {t('quality.finding.reminders')}
                </Title>
                <Stack gap={4}>
                  {f.reminders.map((r) => (
                    <Text size="sm" key={`${r.kind}-${r.sentOn}`}>
                      {formatDate(r.sentOn, i18n.language)} —{' '}
                      {r.kind === 'reminder'
                        ? t('quality.finding.reminder', {
                            days: r.daysLate,
                            channel: t(`quality.finding.channel.${r.channel}`),
                          })
                        : t('quality.finding.escalation', { days: r.daysLate })}
                    </Text>
                  ))}
                </Stack>
              </Paper>
            )}
            <Paper withBorder p="md">
              <Title order={4} mb="sm">
                {t('quality.finding.timeline')}
              </Title>
              <Timeline bulletSize={12} lineWidth={2}>
                {f.timeline.map((e) => (
                  <Timeline.Item
                    key={`${e.at}-${e.action}`}
                    title={
                      <Text size="sm" fw={500}>
                        {e.status &&
                        [
                          'open',
                          'qualified',
                          'action_requested',
                          'action_submitted',
                          'verified',
                          'closed',
                          'escalated',
                        ].includes(e.status)
                          ? t(`quality.findingStatus.${e.status as FindingDetail['status']}`)
                          : e.status && ['proposed', 'accepted', 'done', 'rejected'].includes(e.status)
                            ? t(`quality.actionStatus.${e.status as CorrectiveActionView['status']}`)
                            : t(`quality.finding.log.${logKey(e.action)}`)}
                      </Text>
                    }
                  >
                    <Text size="xs" c="dimmed">
                      {formatDateTime(e.at, i18n.language)} · {e.actorLabel}
                    </Text>
                    {e.note && (
                      <Text size="xs" lineClamp={3}>
                        {e.note}
                      </Text>
                    )}
                  </Timeline.Item>
                ))}
              </Timeline>
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
      {step && <StepModal finding={f} step={step} onClose={() => setStep(null)} />}
    </>
  );
}

function AcceptReject({ findingId, action }: { findingId: string; action: CorrectiveActionView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const review = useMutation({
    mutationFn: (status: 'accepted' | 'rejected') =>
      call(findings.reviewCorrectiveAction, {
        params: { id: findingId, actionId: action.id },
        body: { status },
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['findings'] }),
  });
  return (
    <>
      <Button size="xs" variant="light" onClick={() => review.mutate('accepted')} loading={review.isPending}>
        {t('quality.finding.steps.accept')}
      </Button>
      <Button size="xs" variant="subtle" color="red" onClick={() => review.mutate('rejected')}>
        {t('quality.finding.steps.reject')}
      </Button>
      <StepError error={review.error} />
    </>
  );
}
