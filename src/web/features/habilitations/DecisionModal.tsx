import { Alert, Button, Group, Modal, MultiSelect, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { evidence, findings, habilitations } from '../../../core/contracts/index.js';
import type { HabilitationDetail } from '../../../core/habilitations/habilitation.schema.js';
import { type HabilitationStatus, habilitationStatuses } from '../../../core/habilitations/lifecycle.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ErrorAlert } from '../../components/feedback.js';
import { IconAlert } from '../../components/icons.js';
import { formatDate } from '../../i18n/format.js';
import { networkFieldErrors } from '../network/network-messages.js';
import { type DecisionRefusal, decisionRefusalOf } from './decision-refusal.js';
import { decisionTone } from './habilitation-labels.js';

const statusLabel = (status: string, t: TFunction<'translation'>) =>
  (habilitationStatuses as readonly string[]).includes(status)
    ? t(`habilitations.status.${status as HabilitationStatus}`)
    : status;

function refusalText(refusal: DecisionRefusal, t: TFunction<'translation'>, language: string): string {
  switch (refusal.kind) {
    case 'noConvention':
      return t('habilitations.refusals.noConvention');
    case 'periodEnded':
      return t('habilitations.refusals.periodEnded', { date: formatDate(refusal.endsOn, language) });
    case 'notAllowed':
      return t('habilitations.refusals.notAllowed', {
        from: statusLabel(refusal.from, t),
        to: statusLabel(refusal.to, t),
      });
    case 'overlap':
      return t('habilitations.refusals.overlap');
  }
}

/**
 * One decision on a habilitation: the move to `to`, with its reasons (required: they are the decision's
 * grounds, read by the partner and the auditors). A refusal the server explains (no signed convention,
 * period over, move not allowed) is said in plain words, and the modal stays open.
 */
export function DecisionModal({
  habilitation,
  to,
  onClose,
}: {
  habilitation: HabilitationDetail;
  to: HabilitationStatus | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { can } = useSession();
  const [reasons, setReasons] = useState('');
  const [reasonsError, setReasonsError] = useState<string | undefined>();
  // What the decision rests on: the partner's files (and the certifier's own) and its findings.
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  const [findingIds, setFindingIds] = useState<string[]>([]);
  const [linkErrors, setLinkErrors] = useState<{ evidenceIds?: string; findingIds?: string }>({});
  const evidenceQuery = { organisationId: habilitation.organisationId, limit: 200 };
  const files = useQuery({
    queryKey: ['evidence', 'list', evidenceQuery],
    queryFn: () => call(evidence.listEvidence, { query: evidenceQuery }),
    enabled: to !== null && can('evidence.read'),
  });
  const findingQuery = { organisationId: habilitation.organisationId, limit: 200 };
  const partnerFindings = useQuery({
    queryKey: ['findings', 'list', findingQuery],
    queryFn: () => call(findings.listFindings, { query: findingQuery }),
    enabled: to !== null && can('finding.read'),
  });

  const decide = useMutation({
    mutationFn: (body: {
      toStatus: HabilitationStatus;
      reasons: string;
      evidenceIds: string[];
      findingIds: string[];
    }) => call(habilitations.decideHabilitation, { params: { id: habilitation.id }, body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['habilitations', 'one', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['habilitations'] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      notifications.show({
        color: 'teal',
        message: t('habilitations.decide.done', { status: statusLabel(saved.status, t) }),
      });
      handleClose();
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'validation_failed') {
        setReasonsError(networkFieldErrors(error.fields, t).reasons);
        // A linked file or finding the server refuses is named by its place in the list.
        const about = (field: 'evidenceIds' | 'findingIds') =>
          error.fields
            .filter((f) => f.field === field || f.field.startsWith(`${field}/`))
            .map((f) => f.message)
            .join(' · ') || undefined;
        setLinkErrors({ evidenceIds: about('evidenceIds'), findingIds: about('findingIds') });
      }
    },
  });

  const handleClose = () => {
    setReasons('');
    setReasonsError(undefined);
    setEvidenceIds([]);
    setFindingIds([]);
    setLinkErrors({});
    decide.reset();
    onClose();
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!to) return;
    if (reasons.trim() === '') {
      setReasonsError(t('habilitations.decide.reasonsRequired'));
      return;
    }
    decide.mutate({ toStatus: to, reasons: reasons.trim(), evidenceIds, findingIds });
  };

  const refusal = decisionRefusalOf(decide.error);
  const tone = to ? decisionTone(to) : 'neutral';
  return (
    <Modal
      opened={to !== null}
      onClose={handleClose}
      size="lg"
      centered
      title={
        to &&
        t('habilitations.decide.title', {
          action: t(`habilitations.decide.${to}`),
          certification: habilitation.certificationCode,
        })
      }
    >
      {to && (
        <form onSubmit={handleSubmit} noValidate>
          <Stack>
            <Text size="sm">
              {t('habilitations.decide.intro', {
                from: statusLabel(habilitation.status, t),
                to: statusLabel(to, t),
              })}
            </Text>
            {refusal && (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlert />}
                title={t('habilitations.decide.refusedTitle')}
                role="alert"
              >
                {refusalText(refusal, t, i18n.language)}
              </Alert>
            )}
            {decide.error &&
              !refusal &&
              !(isApiError(decide.error) && decide.error.code === 'validation_failed') && (
                <ErrorAlert error={decide.error} />
              )}
            <Textarea
              label={t('habilitations.decide.reasons')}
              description={t('habilitations.decide.reasonsHint')}
              required
              autosize
              minRows={4}
              maxRows={12}
              value={reasons}
              onChange={(e) => {
                setReasons(e.currentTarget.value);
                setReasonsError(undefined);
              }}
              error={reasonsError}
              data-autofocus
            />
            {can('evidence.read') && (
              <MultiSelect
                label={t('habilitations.decide.evidence')}
                description={t('habilitations.decide.evidenceHint')}
                data={(files.data?.items ?? []).map((f) => ({ value: f.id, label: f.fileName }))}
                value={evidenceIds}
                onChange={setEvidenceIds}
                searchable
                clearable
                nothingFoundMessage={t('habilitations.decide.noEvidence')}
                error={linkErrors.evidenceIds}
              />
            )}
            {can('finding.read') && (
              <MultiSelect
                label={t('habilitations.decide.findings')}
                data={(partnerFindings.data?.items ?? []).map((f) => ({ value: f.id, label: f.title }))}
                value={findingIds}
                onChange={setFindingIds}
                searchable
                clearable
                nothingFoundMessage={t('habilitations.decide.noFindings')}
                error={linkErrors.findingIds}
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={handleClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={decide.isPending} color={tone === 'danger' ? 'red' : undefined}>
                {t('habilitations.decide.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
