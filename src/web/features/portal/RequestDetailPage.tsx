import {
  Anchor,
  Button,
  Card,
  FileInput,
  Grid,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { partnerRequests } from '../../../core/contracts/index.js';
import type { RequestDetail } from '../../../core/partner-requests/partner-request.schema.js';
import { call, isApiError } from '../../api/client.js';
import { navItem } from '../../app/navigation.js';
import { useSession, useSignedIn } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate, formatDateTime } from '../../i18n/format.js';
import { FileSize } from '../evidence/EvidenceTable.js';
import { downloadUrl, uploadEvidenceFile } from '../evidence/evidence-upload.js';
import { DateField } from '../network/parts.js';
import { RequestStatusBadge } from './RequestTable.js';

function setRequest(queryClient: ReturnType<typeof useQueryClient>, saved: RequestDetail) {
  queryClient.setQueryData(['requests', 'one', saved.id], saved);
  void queryClient.invalidateQueries({ queryKey: ['requests', 'list'] });
  void queryClient.invalidateQueries({ queryKey: ['evidence'] });
  void queryClient.invalidateQueries({ queryKey: ['audit'] });
}

/**
 * The partner's answer: a text and files. The files are uploaded first (each one stored by its SHA-256 and
 * checked for type and size by the server), then the answer names them.
 */
function AnswerForm({ request }: { request: RequestDetail }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | undefined>();
  const answer = useMutation({
    mutationFn: async () => {
      const evidenceIds: string[] = [];
      for (const file of files) {
        const saved = await uploadEvidenceFile(
          file,
          { entityType: 'partner_request', entityId: request.id, purpose: 'request_answer' },
          session.csrfToken,
        );
        evidenceIds.push(saved.id);
      }
      return call(partnerRequests.answerRequest, {
        params: { id: request.id },
        body: { message, evidenceIds },
      });
    },
    onSuccess: (saved) => {
      setRequest(queryClient, saved);
      setMessage('');
      setFiles([]);
      notifications.show({ color: 'teal', message: t('portal.requests.answered') });
    },
  });
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (message.trim() === '' && files.length === 0) {
      setError(t('portal.requests.answerEmpty'));
      return;
    }
    setError(undefined);
    answer.mutate();
  };
  return (
    <Card padding="lg">
      <Title order={4} mb="sm">
        {t('portal.requests.answerTitle')}
      </Title>
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {answer.error && <ErrorAlert error={answer.error} />}
          <Textarea
            label={t('portal.requests.answerMessage')}
            autosize
            minRows={3}
            value={message}
            onChange={(e) => {
              setMessage(e.currentTarget.value);
              setError(undefined);
            }}
            error={error}
          />
          <FileInput
            label={t('portal.requests.answerFiles')}
            description={t('evidenceFiles.fileHint')}
            placeholder={t('evidenceFiles.filePlaceholder')}
            multiple
            clearable
            value={files}
            onChange={(f) => {
              setFiles(f);
              setError(undefined);
            }}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={answer.isPending}>
              {t('portal.requests.sendAnswer')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** The certifier's review of an answer: accept it, or ask again with what is missing. */
function ReviewModal({
  request,
  opened,
  onClose,
}: {
  request: RequestDetail;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<'accept' | 'reopen'>(
    request.status === 'answered' ? 'accept' : 'reopen',
  );
  const [message, setMessage] = useState('');
  const [dueOn, setDueOn] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const review = useMutation({
    mutationFn: () =>
      call(partnerRequests.reviewRequest, {
        params: { id: request.id },
        body:
          decision === 'accept'
            ? { decision, ...(message.trim() ? { message } : {}) }
            : { decision, message, ...(dueOn ? { dueOn } : {}) },
      }),
    onSuccess: (saved) => {
      setRequest(queryClient, saved);
      notifications.show({
        color: 'teal',
        message:
          decision === 'accept' ? t('portal.requests.acceptedToast') : t('portal.requests.reopenedToast'),
      });
      onClose();
    },
  });
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (decision === 'reopen' && message.trim() === '') {
      setError(t('portal.requests.reopenReasonRequired'));
      return;
    }
    review.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('portal.requests.reviewTitle')} centered size="lg">
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {review.error && <ErrorAlert error={review.error} />}
          {request.status === 'answered' && (
            <SegmentedControl
              value={decision}
              onChange={(d) => setDecision(d === 'reopen' ? 'reopen' : 'accept')}
              data={[
                { value: 'accept', label: t('portal.requests.accept') },
                { value: 'reopen', label: t('portal.requests.reopen') },
              ]}
            />
          )}
          <Textarea
            label={
              decision === 'accept' ? t('portal.requests.acceptNote') : t('portal.requests.reopenReason')
            }
            required={decision === 'reopen'}
            autosize
            minRows={3}
            value={message}
            onChange={(e) => {
              setMessage(e.currentTarget.value);
              setError(undefined);
            }}
            error={error}
          />
          {decision === 'reopen' && (
            <DateField
              label={t('portal.requests.newDueOn')}
              description={t('portal.requests.newDueOnHint')}
              clearable
              value={dueOn}
              onChange={setDueOn}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={review.isPending}
              color={decision === 'accept' ? 'teal' : 'orange'}
            >
              {decision === 'accept' ? t('portal.requests.accept') : t('portal.requests.reopen')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Thread({ request }: { request: RequestDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <Card padding="lg">
      <Title order={4} mb="md">
        {t('portal.requests.thread')}
      </Title>
      <Timeline bulletSize={16} lineWidth={2} aria-label={t('portal.requests.thread')}>
        {request.events.map((e) => (
          <Timeline.Item key={e.id} title={t(`portal.requests.events.${e.kind}`)}>
            <Text size="xs" c="dimmed">
              {formatDateTime(e.at, i18n.language)} · {e.authorLabel}
              {e.dueOn && e.kind !== 'created'
                ? ` · ${t('portal.requests.dueOnLine', { date: formatDate(e.dueOn, i18n.language) })}`
                : ''}
            </Text>
            {e.message && e.kind !== 'created' && (
              <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
                {e.message}
              </Text>
            )}
            {e.evidence.map((f) => (
              <Group key={f.id} gap="xs" mt={4}>
                <Anchor href={downloadUrl(f.id)} size="sm">
                  {f.fileName}
                </Anchor>
                <Text size="xs" c="dimmed">
                  <FileSize bytes={f.sizeBytes} />
                </Text>
              </Group>
            ))}
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}

/** One request: what is asked, by when, about what; the exchange; the answer form or the review. */
export function RequestDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [reviewing, { open, close }] = useDisclosure(false);
  const request = useQuery({
    queryKey: ['requests', 'one', id],
    queryFn: () => call(partnerRequests.getRequest, { params: { id } }),
  });
  if (request.isPending) return <PageLoader />;
  if (isApiError(request.error) && request.error.code === 'not_found')
    return (
      <Paper withBorder radius="lg" p={48} maw={640} mx="auto" mt="xl">
        <Stack align="center" gap="md" ta="center">
          <Title order={2}>{t('portal.requests.notFoundTitle')}</Title>
          <Text c="dimmed">{t('portal.requests.notFoundText')}</Text>
          <Button component={Link} to="/requests" variant="light">
            {t('portal.requests.backToList')}
          </Button>
        </Stack>
      </Paper>
    );
  if (request.error) return <ErrorAlert error={request.error} onRetry={() => void request.refetch()} />;
  const r = request.data;
  const findingsBuilt = !navItem('findings').planned;
  const awaitingPartner = r.status === 'open' || r.status === 'reopened';
  return (
    <>
      <PageHeader
        title={r.title}
        badges={<RequestStatusBadge status={r.displayStatus} />}
        subtitle={t('portal.requests.detailSubtitle', {
          organisation: r.organisationName,
          date: formatDate(r.dueOn, i18n.language),
        })}
        back={{ to: '/requests', label: t('portal.requests.backToList') }}
        actions={
          can('request.manage') &&
          (r.status === 'answered' || r.status === 'accepted') && (
            <Button onClick={open}>
              {r.status === 'answered' ? t('portal.requests.review') : t('portal.requests.reopen')}
            </Button>
          )
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Card padding="lg">
              <Title order={4} mb="sm">
                {t(`portal.requests.kinds.${r.kind}`)}
              </Title>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{r.body}</Text>
              <Stack gap={4} mt="md">
                {r.habilitationId && (
                  <Anchor component={Link} to={`/habilitations/${r.habilitationId}`} size="sm">
                    {t('portal.requests.aboutHabilitation', { code: r.habilitationLabel })}
                  </Anchor>
                )}
                {r.conventionId && (
                  <Anchor component={Link} to={`/conventions/${r.conventionId}`} size="sm">
                    {t('portal.requests.aboutConvention', { reference: r.conventionReference })}
                  </Anchor>
                )}
                {r.findingId &&
                  (findingsBuilt ? (
                    <Anchor component={Link} to={`/findings/${r.findingId}`} size="sm">
                      {t('portal.requests.aboutFinding', { title: r.findingTitle })}
                    </Anchor>
                  ) : (
                    <Text size="sm">{t('portal.requests.aboutFinding', { title: r.findingTitle })}</Text>
                  ))}
              </Stack>
            </Card>
            {can('request.answer') && awaitingPartner && <AnswerForm request={r} />}
            {can('request.answer') && r.status === 'answered' && (
              <Text c="dimmed" size="sm">
                {t('portal.requests.waitingReview')}
              </Text>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Thread request={r} />
        </Grid.Col>
      </Grid>
      {can('request.manage') && <ReviewModal request={r} opened={reviewing} onClose={close} key={r.status} />}
    </>
  );
}
