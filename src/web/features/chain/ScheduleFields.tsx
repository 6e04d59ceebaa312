import { Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentSessionDetail } from '../../../core/chain/assessment.schema.js';
import { type Modality, modalities } from '../../../core/chain/training-session.schema.js';
import { assessments, juries } from '../../../core/contracts/index.js';
import type { JuryDetail } from '../../../core/juries/jury.schema.js';
import { call, isApiError } from '../../api/client.js';
import { type FieldErrors, fieldErrorsFromApi, splitFieldErrors } from '../../forms/field-errors.js';
import { DateField } from '../network/parts.js';
import { ProblemAlert } from './parts.js';

/** When, where and how an assessment session takes place, as the form holds it (day and time apart). */
export interface AssessmentScheduleValues {
  day: string | null;
  time: string;
  place: string;
  modality: Modality;
}

/** `2026-10-05` and `09:00` in the browser's time zone, as an instant the API takes. */
export function startsAtOf(day: string | null, time: string): string {
  if (!day || !/^\d{2}:\d{2}$/.test(time)) return '';
  const local = new Date(`${day}T${time}:00`);
  return Number.isNaN(local.getTime()) ? '' : local.toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The values of a declared session, its instant read back in the browser's time zone (as it was entered). */
export function assessmentScheduleOf(session: AssessmentSessionDetail): AssessmentScheduleValues {
  const at = new Date(session.startsAt);
  return {
    day: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
    place: session.place ?? '',
    modality: session.modality,
  };
}

/**
 * The day, time, place and modality inputs of an assessment session: the declaration form and the edit modal
 * show the same ones. The caller lays them out (they are grid cells) and maps the API's errors to `errors`.
 */
export function AssessmentScheduleFields({
  values,
  onChange,
  errors,
}: {
  values: AssessmentScheduleValues;
  onChange: (change: Partial<AssessmentScheduleValues>) => void;
  errors: FieldErrors;
}) {
  const { t } = useTranslation();
  return (
    <>
      <DateField
        label={t('chain.assessment.day')}
        value={values.day}
        onChange={(day) => onChange({ day })}
        error={errors.startsAt}
        required
      />
      <TextInput
        label={t('chain.assessment.time')}
        type="time"
        value={values.time}
        onChange={(e) => onChange({ time: e.currentTarget.value })}
        required
      />
      <TextInput
        label={t('chain.assessment.place')}
        value={values.place}
        onChange={(e) => onChange({ place: e.currentTarget.value })}
        error={errors.place}
      />
      <Select
        label={t('chain.assessment.modality')}
        data={modalities.map((m) => ({ value: m, label: t(`chain.modality.${m}`) }))}
        value={values.modality}
        onChange={(v) => v && onChange({ modality: v as Modality })}
        error={errors.modality}
        allowDeselect={false}
      />
    </>
  );
}

const assessmentFields = ['startsAt', 'place', 'modality'];

/**
 * Moves a planned assessment session (`PATCH /api/assessment-sessions/:id`): the server checks again the
 * organiser's habilitation on the new day and that the candidates' training has ended, and refuses once the
 * session is held or cancelled; its reason is shown as it came.
 */
export function AssessmentScheduleModal({
  session,
  onClose,
}: {
  session: AssessmentSessionDetail;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(() => assessmentScheduleOf(session));
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: () =>
      call(assessments.updateAssessmentSession, {
        params: { id: session.id },
        body: {
          startsAt: startsAtOf(values.day, values.time),
          place: values.place.trim() || null,
          modality: values.modality,
        },
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['assessment-sessions', 'one', session.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['assessment-sessions', 'list'] });
      notifications.show({ color: 'teal', message: t('chain.assessment.saved') });
      onClose();
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate();
  };
  const split = splitFieldErrors(errors, assessmentFields);
  return (
    <Modal opened onClose={onClose} title={t('chain.assessment.editScheduleTitle')} size="lg">
      <form onSubmit={submit} noValidate data-testid="assessment-schedule-form">
        <Stack gap="sm">
          {save.error && <ProblemAlert error={save.error} shownInline={Object.keys(split.inline)} />}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <AssessmentScheduleFields
              values={values}
              onChange={(change) => setValues((v) => ({ ...v, ...change }))}
              errors={split.inline}
            />
          </SimpleGrid>
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

/** When and where a jury meets, as the form holds it. */
export interface JuryScheduleValues {
  meetsOn: string | null;
  place: string;
}

/** The date and place inputs of a jury: convening it and changing it show the same ones. */
export function JuryScheduleFields({
  values,
  onChange,
  errors,
}: {
  values: JuryScheduleValues;
  onChange: (change: Partial<JuryScheduleValues>) => void;
  errors: FieldErrors;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div style={{ width: 190 }}>
        <DateField
          label={t('chain.jury.meetsOn')}
          value={values.meetsOn}
          onChange={(meetsOn) => onChange({ meetsOn })}
          error={errors.meetsOn}
          required
        />
      </div>
      <TextInput
        label={t('chain.jury.place')}
        value={values.place}
        onChange={(e) => onChange({ place: e.currentTarget.value })}
        error={errors.place}
      />
    </>
  );
}

const juryFields = ['meetsOn', 'place'];

/**
 * Changes when and where a jury meets while its minutes are not signed (`PATCH /api/juries/:id`; the server
 * refuses once they are, and its reason is shown as it came).
 */
export function JuryScheduleModal({ jury, onClose }: { jury: JuryDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<JuryScheduleValues>({
    meetsOn: jury.meetsOn,
    place: jury.place ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: () =>
      call(juries.updateJury, {
        params: { id: jury.id },
        body: { meetsOn: values.meetsOn ?? '', place: values.place.trim() || null },
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['juries', 'one', jury.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['juries', 'list'] });
      notifications.show({ color: 'teal', message: t('chain.jury.scheduleSaved') });
      onClose();
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate();
  };
  const split = splitFieldErrors(errors, juryFields);
  return (
    <Modal opened onClose={onClose} title={t('chain.jury.editScheduleTitle')} size="lg">
      <form onSubmit={submit} noValidate data-testid="jury-schedule-form">
        <Stack gap="sm">
          {save.error && <ProblemAlert error={save.error} shownInline={Object.keys(split.inline)} />}
          <Text size="sm" c="dimmed">
            {t('chain.jury.editScheduleHelp')}
          </Text>
          <Group align="flex-start" wrap="wrap">
            <JuryScheduleFields
              values={values}
              onChange={(change) => setValues((v) => ({ ...v, ...change }))}
              errors={split.inline}
            />
          </Group>
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
