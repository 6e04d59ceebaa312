import { Button, Group, MultiSelect, Paper, SimpleGrid, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { assessments, trainingSessions } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { PageHeader } from '../../components/PageHeader.js';
import { type FieldErrors, fieldErrorsFromApi, splitFieldErrors } from '../../forms/field-errors.js';
import { formatDate } from '../../i18n/format.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { EvaluatorPicker } from './EvaluatorPicker.js';
import { ProblemAlert } from './parts.js';
import { AssessmentScheduleFields, type AssessmentScheduleValues, startsAtOf } from './ScheduleFields.js';

const fields = ['certificationId', 'organiserId', 'startsAt', 'place', 'modality', 'evaluatorIds'];

/**
 * Declares an assessment session: organised by the certifier or by a partner habilitated to evaluate, with its
 * evaluators (certifier staff choose them) and its candidates, taken from training sessions of the
 * certification. The server checks the organiser's habilitation and, under the certifier's rule, that each
 * candidate's training has ended.
 */
export function AssessmentSessionFormPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { can, session } = useSession();
  const isPartner = session?.user.role === 'partner';
  const [certificationId, setCertificationId] = useState<string | null>(null);
  const [organiserId, setOrganiserId] = useState<string | null>(null);
  const [schedule, setSchedule] = useState<AssessmentScheduleValues>({
    day: null,
    time: '09:00',
    place: '',
    modality: 'in_person',
  });
  const [evaluatorIds, setEvaluatorIds] = useState<string[]>([]);
  const [trainingIds, setTrainingIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});

  const trainings = useQuery({
    queryKey: ['training-sessions', 'list', { certificationId, limit: 200 }],
    queryFn: () =>
      call(trainingSessions.listTrainingSessions, {
        query: { certificationId: certificationId ?? undefined, limit: 200 },
      }),
    enabled: Boolean(certificationId),
  });

  const create = useMutation({
    mutationFn: async () => {
      const candidateIds = new Set<string>();
      for (const trainingId of trainingIds) {
        const detail = await call(trainingSessions.getTrainingSession, { params: { id: trainingId } });
        for (const e of detail.enrolments) candidateIds.add(e.candidateId);
      }
      return call(assessments.createAssessmentSession, {
        body: {
          certificationId: certificationId ?? '',
          ...(isPartner ? {} : { organiserId }),
          startsAt: startsAtOf(schedule.day, schedule.time),
          place: schedule.place.trim() || null,
          modality: schedule.modality,
          candidateIds: [...candidateIds],
          evaluatorIds,
        },
      });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['assessment-sessions'] });
      notifications.show({ color: 'teal', message: t('chain.assessment.declared') });
      navigate(`/sessions/assessments/${saved.id}`);
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const split = splitFieldErrors(errors, fields);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    create.mutate();
  };
  return (
    <>
      <PageHeader
        title={t('chain.assessment.newTitle')}
        subtitle={t('chain.assessment.formHelp')}
        back={{ to: '/sessions?tab=assessment', label: t('chain.sessions.title') }}
      />
      <Paper withBorder p="lg" component="form" onSubmit={submit} maw={900} noValidate>
        <Stack gap="md">
          {create.error && <ProblemAlert error={create.error} />}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <CertificationPicker
              label={t('chain.assessment.certification')}
              value={certificationId}
              onChange={(v) => {
                setCertificationId(v);
                setTrainingIds([]);
              }}
              error={split.inline.certificationId}
              required
            />
            {!isPartner && (
              <OrganisationPicker
                label={t('chain.assessment.organiser')}
                placeholder={t('chain.assessment.organiserCertifier')}
                value={organiserId}
                onChange={setOrganiserId}
                error={split.inline.organiserId}
              />
            )}
            <AssessmentScheduleFields
              values={schedule}
              onChange={(change) => setSchedule((v) => ({ ...v, ...change }))}
              errors={split.inline}
            />
          </SimpleGrid>
          {can('user.read') && (
            <EvaluatorPicker
              value={evaluatorIds}
              onChange={setEvaluatorIds}
              error={split.inline.evaluatorIds}
            />
          )}
          <MultiSelect
            label={t('chain.assessment.fromTrainings')}
            description={t('chain.assessment.fromTrainingsHelp')}
            data={(trainings.data?.items ?? []).map((s) => ({
              value: s.id,
              label: `${s.reference ?? t('chain.training.noReference')} — ${formatDate(s.startsOn, i18n.language)} → ${formatDate(s.endsOn, i18n.language)} (${s.enrolmentCount})`,
            }))}
            value={trainingIds}
            onChange={setTrainingIds}
            disabled={!certificationId}
            searchable
            data-testid="trainings"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate(-1)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('chain.assessment.declare')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </>
  );
}
