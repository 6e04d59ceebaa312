import {
  Anchor,
  Badge,
  Button,
  Card,
  FileButton,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { audits, controls } from '../../../core/contracts/index.js';
import {
  type AuditItemView,
  type AuditSheetView,
  type CheckpointResult,
  checkpointResults,
  findingSeverityOf,
} from '../../../core/controls/checklist.schema.js';
import { call } from '../../api/client.js';
import { useSession, useSignedIn } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate } from '../../i18n/format.js';
import { uploadEvidenceFile } from '../evidence/evidence-upload.js';
import { ControlStatusBadge, resultColors, StepError } from './parts.js';

/**
 * One checkpoint on the audit sheet. Conform and not applicable are saved at once; a non-conformity is
 * saved with its comment (when the field is left, or on "Enregistrer"). Big buttons, one column: usable on a
 * phone during a visit.
 */
function CheckpointCard({
  sheet,
  item,
  editable,
  onSaved,
}: {
  sheet: AuditSheetView;
  item: AuditItemView;
  editable: boolean;
  onSaved: (sheet: AuditSheetView) => void;
}) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [result, setResult] = useState<CheckpointResult | null>(item.result);
  const [comment, setComment] = useState(item.comment ?? '');
  const [savedKey, setSavedKey] = useState(`${item.result}|${item.comment ?? ''}`);
  const save = useMutation({
    mutationFn: (body: { result: CheckpointResult; comment: string | null }) =>
      call(audits.recordCheckpointResult, {
        params: { id: sheet.control.id, checkpointId: item.checkpoint.id },
        body,
      }),
    onSuccess: (next, body) => {
      setSavedKey(`${body.result}|${body.comment ?? ''}`);
      onSaved(next);
    },
  });
  const upload = useMutation({
    mutationFn: (file: File) =>
      uploadEvidenceFile(
        file,
        {
          organisationId: sheet.control.organisationId ?? undefined,
          entityType: 'control',
          entityId: sheet.control.id,
          purpose: `checkpoint:${item.checkpoint.code}`,
          description: `${item.checkpoint.code} — ${item.checkpoint.question}`.slice(0, 500),
        },
        session.csrfToken,
      ),
    onSuccess: (file) =>
      notifications.show({
        color: 'teal',
        message: t('quality.sheet.evidenceAdded', { name: file.fileName }),
      }),
  });
  const needsComment = result !== null && findingSeverityOf(result) !== null;
  const trySave = (r: CheckpointResult | null, c: string) => {
    if (!r) return;
    const text = c.trim();
    if (findingSeverityOf(r) && !text) return;
    if (`${r}|${text}` === savedKey) return;
    save.mutate({ result: r, comment: text || null });
  };
  const dirty = result !== null && `${result}|${comment.trim()}` !== savedKey;
  const headingId = `checkpoint-${item.checkpoint.id}`;

  return (
    <Card withBorder padding="md" aria-labelledby={headingId} component="section">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600} id={headingId}>
            {item.checkpoint.code} · {item.checkpoint.question}
          </Text>
          {item.findingId && (
            <Anchor component={Link} to={`/findings/${item.findingId}`} size="xs">
              {t('quality.sheet.finding')}
            </Anchor>
          )}
        </Group>
        <Group gap={6}>
          <Badge variant="outline" radius="sm" size="sm">
            {t(`quality.frameworks.${item.checkpoint.requirementFramework}`)}
          </Badge>
          <Text size="xs" c="dimmed">
            {item.checkpoint.requirementRef}
          </Text>
        </Group>
        {item.checkpoint.guidance && (
          <Text size="sm" c="dimmed">
            {t('quality.sheet.guidance')} : {item.checkpoint.guidance}
          </Text>
        )}
        <SimpleGrid cols={2} spacing="xs" role="radiogroup" aria-label={item.checkpoint.code}>
          {checkpointResults.map((r) => (
            <Button
              key={r}
              role="radio"
              aria-checked={result === r}
              size="md"
              h="auto"
              mih={48}
              py={8}
              styles={{ label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.2 } }}
              variant={result === r ? 'filled' : 'default'}
              color={resultColors[r]}
              disabled={!editable}
              onClick={() => {
                setResult(r);
                trySave(r, comment);
              }}
            >
              {t(`quality.results.${r}`)}
            </Button>
          ))}
        </SimpleGrid>
        {(needsComment || comment) && (
          <Textarea
            label={t('quality.sheet.comment')}
            description={needsComment ? t('quality.sheet.commentHint') : undefined}
            required={needsComment}
            autosize
            minRows={2}
            value={comment}
            disabled={!editable}
            onChange={(e) => setComment(e.currentTarget.value)}
            onBlur={() => trySave(result, comment)}
          />
        )}
        <Group justify="space-between" gap="xs">
          {editable ? (
            <FileButton
              onChange={(f) => f && upload.mutate(f)}
              accept="image/*,application/pdf"
              capture="environment"
            >
              {(props) => (
                <Button {...props} variant="subtle" size="xs" loading={upload.isPending}>
                  {t('quality.sheet.evidence')}
                </Button>
              )}
            </FileButton>
          ) : (
            <span />
          )}
          <Group gap="xs">
            <Text size="xs" c={save.isPending ? 'dimmed' : dirty ? 'orange' : 'teal'} aria-live="polite">
              {save.isPending ? t('quality.sheet.saving') : !dirty && result ? t('quality.sheet.saved') : ''}
            </Text>
            {editable && dirty && needsComment && (
              <Button size="xs" onClick={() => trySave(result, comment)} disabled={!comment.trim()}>
                {t('quality.sheet.save')}
              </Button>
            )}
          </Group>
        </Group>
        <StepError error={save.error ?? upload.error} />
      </Stack>
    </Card>
  );
}

/** An audit as the auditor fills it in, checkpoint by checkpoint, each result saved as it is given. */
export function AuditSheetPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const sheet = useQuery({
    queryKey: ['controls', 'sheet', id],
    queryFn: () => call(audits.getAuditSheet, { params: { id } }),
  });
  const setSheet = (next: AuditSheetView) => queryClient.setQueryData(['controls', 'sheet', id], next);
  const finish = useMutation({
    mutationFn: (status: 'done' | 'cancelled') =>
      call(controls.updateControl, { params: { id }, body: { status } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['controls'] });
      notifications.show({ color: 'teal', message: t('quality.sheet.finished') });
    },
  });

  if (sheet.error) return <ErrorAlert error={sheet.error} onRetry={() => void sheet.refetch()} />;
  if (!sheet.data) return <PageLoader />;
  const data = sheet.data;
  const { progress, control } = data;
  const editable =
    can('control.manage') && (control.status === 'planned' || control.status === 'in_progress');

  return (
    <Stack gap="md" maw={760}>
      <PageHeader
        back={{ to: '/controls', label: t('quality.sheet.back') }}
        title={control.title}
        badges={<ControlStatusBadge status={control.status} />}
        subtitle={[
          t(`quality.kinds.${control.kind}`),
          data.organisationName,
          control.plannedOn
            ? t('quality.sheet.planned', { date: formatDate(control.plannedOn, i18n.language) })
            : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      />
      <Paper withBorder p="sm" pos="sticky" top="var(--app-shell-header-height, 0px)" style={{ zIndex: 5 }}>
        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="sm" fw={600}>
              {t('quality.sheet.progress', { answered: progress.answered, total: progress.total })}
            </Text>
            <Text size="sm" c={progress.major ? 'red' : progress.minor ? 'orange' : 'dimmed'}>
              {t('quality.sheet.nonConform', { minor: progress.minor, major: progress.major })}
            </Text>
          </Group>
          <Progress
            value={progress.total ? (100 * progress.answered) / progress.total : 0}
            aria-label={t('quality.sheet.progress', { answered: progress.answered, total: progress.total })}
          />
        </Stack>
      </Paper>
      {!data.template && <Text c="dimmed">{t('quality.sheet.noTemplate')}</Text>}
      {!editable && control.status !== 'planned' && control.status !== 'in_progress' && (
        <Text c="dimmed" size="sm">
          {t('quality.sheet.closedNote', { status: t(`quality.controlStatus.${control.status}`) })}
        </Text>
      )}
      {data.items.map((item) => (
        <CheckpointCard
          key={item.checkpoint.id}
          sheet={data}
          item={item}
          editable={editable}
          onSaved={setSheet}
        />
      ))}
      <StepError error={finish.error} />
      {editable && (
        <Group justify="space-between">
          <Button variant="subtle" color="gray" onClick={() => finish.mutate('cancelled')}>
            {t('quality.sheet.cancel')}
          </Button>
          <Button
            onClick={() => finish.mutate('done')}
            loading={finish.isPending}
            disabled={progress.answered < progress.total}
          >
            {t('quality.sheet.finish')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
