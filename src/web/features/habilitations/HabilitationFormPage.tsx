import {
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  certifications,
  habilitations,
  organisationDirectory,
  organisations,
} from '../../../core/contracts/index.js';
import { type HabilitationScope, habilitationScopes } from '../../../core/habilitations/habilitation.js';
import {
  type HabilitationDetail,
  habilitationInput,
  habilitationPatch,
} from '../../../core/habilitations/habilitation.schema.js';
import { ApiError, call, isApiError } from '../../api/client.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { type FieldErrors, splitFieldErrors } from '../../forms/field-errors.js';
import { useFocusFirstError } from '../../forms/use-focus-first-error.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { issuesOf, networkFieldErrors } from '../network/network-messages.js';
import { DateField, today } from '../network/parts.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { decisionRefusalOf } from './decision-refusal.js';
import {
  conditionsOf,
  emptyHabilitationValues,
  formFields,
  type HabilitationFormValues,
  habilitationValuesOf,
  toHabilitationInput,
  toHabilitationPatch,
} from './habilitation-form.js';

const uuidLike = /^[0-9a-f-]{36}$/i;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg">
      <Title order={4} mb="md">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function FixedValue({ label, value }: { label: string; value: string }) {
  return (
    <TextInput
      label={label}
      value={value}
      readOnly
      variant="filled"
      styles={{ input: { cursor: 'default' } }}
    />
  );
}

/**
 * Records an application for a habilitation (organisation × certification, scope, blocks, territory,
 * period, conditions), or changes the terms of one that is not final. The shared Zod schema checks the
 * input in the browser first; what the server still refuses (overlap, unknown block) comes back per field.
 */
export function HabilitationFormPage() {
  const { id } = useParams();
  const isEdit = id !== undefined;
  const [search] = useSearchParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const presetOrganisation = uuidLike.test(search.get('organisation') ?? '')
    ? search.get('organisation')
    : null;
  const presetCertification = uuidLike.test(search.get('certification') ?? '')
    ? search.get('certification')
    : null;
  const [values, setValues] = useState<HabilitationFormValues>(() => ({
    ...emptyHabilitationValues(today()),
    organisationId: presetOrganisation,
    certificationId: presetCertification,
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useFocusFirstError(formRef);

  const existing = useQuery({
    queryKey: ['habilitations', 'one', id],
    queryFn: () => call(habilitations.getHabilitation, { params: { id: id ?? '' } }),
    enabled: isEdit,
  });
  useEffect(() => {
    if (existing.data) setValues(habilitationValuesOf(existing.data));
  }, [existing.data]);

  const fixedOrganisation = isEdit ? existing.data?.organisationId : presetOrganisation;
  const organisation = useQuery({
    queryKey: ['organisations', 'one', fixedOrganisation],
    queryFn: () => call(organisations.getOrganisation, { params: { id: fixedOrganisation ?? '' } }),
    enabled: !isEdit && Boolean(fixedOrganisation),
  });
  // The sites the habilitation may name: those of its organisation.
  const siteOrganisation = isEdit ? existing.data?.organisationId : values.organisationId;
  const directory = useQuery({
    queryKey: ['organisations', 'directory', siteOrganisation],
    queryFn: () =>
      call(organisationDirectory.getOrganisationDirectory, { params: { id: siteOrganisation ?? '' } }),
    enabled: Boolean(siteOrganisation),
  });
  const certification = useQuery({
    queryKey: ['certifications', 'one', values.certificationId],
    queryFn: () => call(certifications.getCertification, { params: { id: values.certificationId ?? '' } }),
    enabled: Boolean(values.certificationId),
  });

  const showErrors = (issues: Array<{ field: string; message: string }>, extra: FieldErrors = {}) => {
    const split = splitFieldErrors({ ...networkFieldErrors(issues, t), ...extra }, formFields);
    setErrors(split.inline);
    setOtherErrors(split.other);
    focusFirstError();
  };

  const save = useMutation({
    mutationFn: (body: {
      create?: ReturnType<typeof toHabilitationInput>;
      patch?: ReturnType<typeof toHabilitationPatch>;
    }): Promise<HabilitationDetail> =>
      body.patch
        ? call(habilitations.updateHabilitation, { params: { id: id ?? '' }, body: body.patch })
        : call(habilitations.createHabilitation, { body: body.create ?? toHabilitationInput(values, {}) }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['habilitations', 'one', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['habilitations'] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      notifications.show({
        color: 'teal',
        message: isEdit ? t('habilitations.form.saved') : t('habilitations.form.created'),
      });
      navigate(`/habilitations/${saved.id}`);
    },
    onError: (error) => {
      if (isApiError(error)) showErrors(error.fields);
    },
  });

  const set = <K extends keyof HabilitationFormValues>(name: K, value: HabilitationFormValues[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _, ...rest }) => rest);
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const { conditions, issues } = conditionsOf(values);
    const conditionErrors: FieldErrors = Object.fromEntries(
      issues.map((i) => [
        i.field,
        t(i.kind === 'percent' ? 'habilitations.form.percent' : 'habilitations.form.wholeNumber'),
      ]),
    );
    const required: FieldErrors = {};
    if (!isEdit && !values.organisationId) required.organisationId = t('validation.required');
    if (!isEdit && !values.certificationId) required.certificationId = t('validation.required');
    if (!values.startsOn) required.startsOn = t('validation.required');
    const body = isEdit
      ? { patch: toHabilitationPatch(values, conditions) }
      : { create: toHabilitationInput(values, conditions) };
    const parsed = body.patch
      ? habilitationPatch.safeParse(body.patch)
      : habilitationInput.safeParse(body.create);
    const extra = { ...conditionErrors, ...required };
    if (!parsed.success || Object.keys(extra).length > 0) {
      showErrors(parsed.success ? [] : issuesOf(parsed.error), extra);
      return;
    }
    setOtherErrors([]);
    save.mutate(body);
  };

  if (isEdit && existing.isPending) return <PageLoader />;
  if (isEdit && existing.error)
    return <ErrorAlert error={existing.error} onRetry={() => void existing.refetch()} />;

  const blocks = certification.data?.skillBlocks ?? [];
  const refusal = decisionRefusalOf(save.error);
  const backTo = isEdit
    ? `/habilitations/${id}`
    : presetOrganisation
      ? `/organisations/${presetOrganisation}`
      : '/habilitations';

  return (
    <form ref={formRef} onSubmit={handleSubmit} noValidate>
      <PageHeader
        title={isEdit ? t('habilitations.form.editTitle') : t('habilitations.form.createTitle')}
        subtitle={
          existing.data ? `${existing.data.organisationName} · ${existing.data.certificationCode}` : undefined
        }
        back={{
          to: backTo,
          label: isEdit ? (existing.data?.certificationCode ?? t('common.back')) : t('common.back'),
        }}
      />
      <Stack gap="md" maw={960}>
        {save.error && (
          <ErrorAlert
            error={save.error}
            extra={[
              ...(refusal?.kind === 'overlap' ? [t('habilitations.refusals.overlap')] : []),
              ...otherErrors,
            ]}
          />
        )}
        {!save.error && otherErrors.length > 0 && (
          <ErrorAlert error={new ApiError('validation_failed', 400, '')} extra={otherErrors} />
        )}

        <Section title={t('habilitations.form.parties')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {isEdit ? (
              <FixedValue
                label={t('habilitations.form.organisation')}
                value={existing.data?.organisationName ?? ''}
              />
            ) : presetOrganisation ? (
              <FixedValue
                label={t('habilitations.form.organisation')}
                value={organisation.data?.legalName ?? '…'}
              />
            ) : (
              <OrganisationPicker
                label={t('habilitations.form.organisation')}
                placeholder={t('habilitations.form.organisationPlaceholder')}
                value={values.organisationId}
                onChange={(v) => {
                  set('organisationId', v);
                  set('siteIds', []);
                }}
                error={errors.organisationId}
                required
              />
            )}
            {isEdit ? (
              <FixedValue
                label={t('habilitations.form.certification')}
                value={
                  existing.data
                    ? `${existing.data.certificationCode} — ${existing.data.certificationTitle}`
                    : ''
                }
              />
            ) : (
              <CertificationPicker
                label={t('habilitations.form.certification')}
                placeholder={t('habilitations.form.certificationPlaceholder')}
                value={values.certificationId}
                onChange={(v) => {
                  set('certificationId', v);
                  set('skillBlockIds', []);
                }}
                error={errors.certificationId}
                activeOnly
                required
              />
            )}
          </SimpleGrid>
        </Section>

        <Section title={t('habilitations.form.scopeSection')}>
          <Stack gap="md">
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('habilitations.form.scope')}
              </Text>
              <SegmentedControl
                value={values.scope}
                onChange={(v) => set('scope', v as HabilitationScope)}
                data={habilitationScopes.map((s) => ({ value: s, label: t(`habilitations.scope.${s}`) }))}
                aria-label={t('habilitations.form.scope')}
                w="fit-content"
              />
            </Stack>
            <Radio.Group
              label={t('habilitations.form.blocks')}
              value={values.coversAllSkillBlocks ? 'all' : 'some'}
              onChange={(v) => set('coversAllSkillBlocks', v === 'all')}
              error={values.coversAllSkillBlocks ? undefined : errors.skillBlockIds}
            >
              <Stack gap="xs" mt="xs">
                <Radio value="all" label={t('habilitations.form.allBlocks')} />
                <Radio value="some" label={t('habilitations.form.someBlocks')} />
              </Stack>
            </Radio.Group>
            {!values.coversAllSkillBlocks &&
              (values.certificationId ? (
                <Checkbox.Group
                  value={values.skillBlockIds}
                  onChange={(v) => set('skillBlockIds', v)}
                  aria-label={t('habilitations.form.blocks')}
                >
                  <Stack gap={6} pl="lg">
                    {blocks.map((b) => (
                      <Checkbox key={b.id} value={b.id} label={`${b.code} — ${b.title}`} />
                    ))}
                  </Stack>
                </Checkbox.Group>
              ) : (
                <Text size="sm" c="dimmed" pl="lg">
                  {t('habilitations.form.chooseCertificationFirst')}
                </Text>
              ))}
            <TextInput
              label={t('habilitations.form.territory')}
              description={t('habilitations.form.territoryHint')}
              name="territory"
              value={values.territory}
              onChange={(e) => set('territory', e.currentTarget.value)}
              error={errors.territory}
            />
            {siteOrganisation && directory.data?.sites.length === 0 ? (
              <div>
                <Text size="sm" fw={500}>
                  {t('habilitations.form.sites')}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('habilitations.form.noSites')}
                </Text>
              </div>
            ) : (
              <MultiSelect
                label={t('habilitations.form.sites')}
                description={
                  siteOrganisation
                    ? t('habilitations.form.sitesHint')
                    : t('habilitations.form.chooseOrganisationFirst')
                }
                placeholder={t('habilitations.form.sitesPlaceholder')}
                name="siteIds"
                data={(directory.data?.sites ?? []).map((s) => ({
                  value: s.id,
                  label: s.city ? `${s.label} — ${s.city}` : s.label,
                }))}
                value={values.siteIds}
                onChange={(v) => set('siteIds', v)}
                error={errors.siteIds}
                disabled={!siteOrganisation}
                clearable
              />
            )}
          </Stack>
        </Section>

        <Section title={t('habilitations.form.periodSection')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DateField
              label={t('habilitations.form.startsOn')}
              name="startsOn"
              value={values.startsOn}
              onChange={(v) => set('startsOn', v)}
              error={errors.startsOn}
              required
            />
            <DateField
              label={t('habilitations.form.endsOn')}
              name="endsOn"
              description={t('habilitations.form.endsOnHint')}
              value={values.endsOn}
              onChange={(v) => set('endsOn', v)}
              error={errors.endsOn}
              clearable
            />
          </SimpleGrid>
        </Section>

        <Section title={t('habilitations.form.conditionsSection')}>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={t('habilitations.form.minimumHours')}
                name="minimumHours"
                inputMode="numeric"
                value={values.minimumHours}
                onChange={(e) => set('minimumHours', e.currentTarget.value)}
                error={errors.minimumHours}
              />
              <TextInput
                label={t('habilitations.form.maxGroupSize')}
                name="maxGroupSize"
                inputMode="numeric"
                value={values.maxGroupSize}
                onChange={(e) => set('maxGroupSize', e.currentTarget.value)}
                error={errors.maxGroupSize}
              />
              <TextInput
                label={t('habilitations.form.inPersonPercent')}
                name="inPersonPercent"
                inputMode="decimal"
                value={values.inPersonPercent}
                onChange={(e) => set('inPersonPercent', e.currentTarget.value)}
                error={errors.inPersonPercent}
              />
            </SimpleGrid>
            <Textarea
              label={t('habilitations.form.conditionNotes')}
              autosize
              minRows={2}
              maxRows={8}
              value={values.conditionNotes}
              onChange={(e) => set('conditionNotes', e.currentTarget.value)}
            />
          </Stack>
        </Section>

        {!isEdit && (
          <Paper withBorder p="lg">
            <Textarea
              label={t('habilitations.form.reasons')}
              description={t('habilitations.form.reasonsHint')}
              autosize
              minRows={2}
              maxRows={8}
              name="reasons"
              value={values.reasons}
              onChange={(e) => set('reasons', e.currentTarget.value)}
              error={errors.reasons}
            />
          </Paper>
        )}

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => navigate(backTo)}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {isEdit ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
