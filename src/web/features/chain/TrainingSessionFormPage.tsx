import {
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import {
  fundings,
  type Modality,
  modalities,
  type TrainingSessionDetail,
} from '../../../core/chain/training-session.schema.js';
import { certifications, trainingSessions } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { type FieldErrors, fieldErrorsFromApi, splitFieldErrors } from '../../forms/field-errors.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { DateField } from '../network/parts.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { ProblemAlert } from './parts.js';

interface Values {
  organisationId: string | null;
  certificationId: string | null;
  reference: string;
  startsOn: string | null;
  endsOn: string | null;
  hours: number | string;
  modality: Modality;
  site: string;
  trainers: string[];
  funding: string | null;
  skillBlockIds: string[];
}

const empty: Values = {
  organisationId: null,
  certificationId: null,
  reference: '',
  startsOn: null,
  endsOn: null,
  hours: '',
  modality: 'in_person',
  site: '',
  trainers: [],
  funding: null,
  skillBlockIds: [],
};

const fields = [
  'organisationId',
  'certificationId',
  'reference',
  'startsOn',
  'endsOn',
  'hours',
  'modality',
  'site',
  'trainers',
  'funding',
  'skillBlockIds',
];

const valuesOf = (s: TrainingSessionDetail): Values => ({
  organisationId: s.organisationId,
  certificationId: s.certificationId,
  reference: s.reference ?? '',
  startsOn: s.startsOn,
  endsOn: s.endsOn,
  hours: s.hours ?? '',
  modality: s.modality,
  site: s.site ?? '',
  trainers: s.trainers,
  funding: s.funding,
  skillBlockIds: s.skillBlocks.map((b) => b.id),
});

/**
 * Declares a training session (a partner: its own; certifier staff: for a partner), or changes one. The
 * server checks it against the partner's habilitation (scope, period, blocks) and names what is not covered.
 */
export function TrainingSessionFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { session } = useSession();
  const isPartner = session?.user.role === 'partner';
  const existing = useQuery({
    queryKey: ['training-sessions', 'one', id],
    queryFn: () => call(trainingSessions.getTrainingSession, { params: { id: id ?? '' } }),
    enabled: Boolean(id),
  });
  const [values, setValues] = useState<Values>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (existing.data) setValues(valuesOf(existing.data));
  }, [existing.data]);
  const certification = useQuery({
    queryKey: ['certifications', 'one', values.certificationId],
    queryFn: () => call(certifications.getCertification, { params: { id: values.certificationId ?? '' } }),
    enabled: Boolean(values.certificationId),
  });
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const save = useMutation({
    mutationFn: async (): Promise<TrainingSessionDetail> => {
      const common = {
        reference: values.reference.trim() || null,
        startsOn: values.startsOn ?? '',
        endsOn: values.endsOn ?? '',
        hours: values.hours === '' ? null : Number(values.hours),
        modality: values.modality,
        site: values.site.trim() || null,
        trainers: values.trainers,
        funding: (values.funding as (typeof fundings)[number] | null) ?? null,
        skillBlockIds: values.skillBlockIds,
      };
      if (id) return call(trainingSessions.updateTrainingSession, { params: { id }, body: common });
      return call(trainingSessions.createTrainingSession, {
        body: {
          ...common,
          certificationId: values.certificationId ?? '',
          ...(isPartner || !values.organisationId ? {} : { organisationId: values.organisationId }),
        },
      });
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(['training-sessions', 'one', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['training-sessions'] });
      notifications.show({
        color: 'teal',
        message: t(id ? 'chain.training.saved' : 'chain.training.declared'),
      });
      navigate(`/sessions/training/${saved.id}`);
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const split = splitFieldErrors(errors, fields);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate();
  };

  if (id && existing.isPending) return <PageLoader />;
  if (id && existing.error) return <ProblemAlert error={existing.error} />;

  return (
    <>
      <PageHeader
        title={id ? t('chain.training.editTitle') : t('chain.training.newTitle')}
        subtitle={t('chain.training.formHelp')}
        back={{ to: id ? `/sessions/training/${id}` : '/sessions', label: t('common.back') }}
      />
      <Paper withBorder p="lg" component="form" onSubmit={submit} maw={900} noValidate>
        <Stack gap="md">
          {save.error && <ProblemAlert error={save.error} />}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {!isPartner && !id && (
              <OrganisationPicker
                label={t('chain.training.partner')}
                value={values.organisationId}
                onChange={(v) => set('organisationId', v)}
                error={split.inline.organisationId}
                required
              />
            )}
            {!id && (
              <CertificationPicker
                label={t('chain.training.certification')}
                value={values.certificationId}
                onChange={(v) => setValues((cur) => ({ ...cur, certificationId: v, skillBlockIds: [] }))}
                error={split.inline.certificationId}
                required
              />
            )}
            <TextInput
              label={t('chain.training.reference')}
              description={t('chain.training.referenceHelp')}
              value={values.reference}
              onChange={(e) => set('reference', e.currentTarget.value)}
              error={split.inline.reference}
              name="reference"
            />
            <Select
              label={t('chain.training.modality')}
              data={modalities.map((m) => ({ value: m, label: t(`chain.modality.${m}`) }))}
              value={values.modality}
              onChange={(v) => v && set('modality', v as Modality)}
              error={split.inline.modality}
              allowDeselect={false}
              required
            />
            <DateField
              label={t('chain.training.startsOn')}
              value={values.startsOn}
              onChange={(v) => set('startsOn', v)}
              error={split.inline.startsOn}
              required
              name="startsOn"
            />
            <DateField
              label={t('chain.training.endsOn')}
              value={values.endsOn}
              onChange={(v) => set('endsOn', v)}
              error={split.inline.endsOn}
              required
              name="endsOn"
            />
            <NumberInput
              label={t('chain.training.hours')}
              value={values.hours}
              onChange={(v) => set('hours', v)}
              min={0}
              decimalScale={2}
              decimalSeparator=","
              error={split.inline.hours}
            />
            <Select
              label={t('chain.training.funding')}
              data={fundings.map((f) => ({ value: f, label: t(`chain.funding.${f}`) }))}
              value={values.funding}
              onChange={(v) => set('funding', v)}
              error={split.inline.funding}
              clearable
            />
            <TextInput
              label={t('chain.training.site')}
              value={values.site}
              onChange={(e) => set('site', e.currentTarget.value)}
              error={split.inline.site}
            />
            <TagsInput
              label={t('chain.training.trainers')}
              description={t('chain.training.trainersHelp')}
              value={values.trainers}
              onChange={(v) => set('trainers', v)}
              error={split.inline.trainers}
            />
          </SimpleGrid>
          <MultiSelect
            label={t('chain.training.blocks')}
            description={t('chain.training.blocksHelp')}
            data={(certification.data?.skillBlocks ?? []).map((b) => ({
              value: b.id,
              label: `${b.code} — ${b.title}`,
            }))}
            value={values.skillBlockIds}
            onChange={(v) => set('skillBlockIds', v)}
            error={split.inline.skillBlockIds}
            disabled={!values.certificationId}
            clearable
            searchable
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate(-1)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {id ? t('common.save') : t('chain.training.declare')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </>
  );
}
