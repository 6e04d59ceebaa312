import {
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { organisations } from '../../../core/contracts/index.js';
import {
  type OrganisationView,
  organisationInput,
  organisationPatch,
  type QualiopiStatus,
  qualiopiCategories,
  qualiopiStatuses,
} from '../../../core/organisations/organisation.schema.js';
import { ApiError, call, isApiError } from '../../api/client.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import {
  type FieldErrors,
  fieldErrorsFromApi,
  fieldErrorsFromZod,
  splitFieldErrors,
  translateFieldMessage,
} from '../../forms/field-errors.js';
import { useFocusFirstError } from '../../forms/use-focus-first-error.js';
import { formatSiret } from '../../i18n/format.js';
import {
  emptyValues,
  type FormValues,
  formFields,
  parseTypedDate,
  type TextField,
  toCreateInput,
  toPatch,
  valuesOf,
} from './organisation-form.js';

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

/**
 * Create or edit an organisation. The browser checks the input with the same Zod schema the server uses
 * (SIRET checksum included) before sending; whatever the server still refuses comes back per field.
 */
export function OrganisationFormPage() {
  const { id } = useParams();
  const isEdit = id !== undefined;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<FormValues>(emptyValues);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useFocusFirstError(formRef);

  const existing = useQuery({
    queryKey: ['organisations', 'one', id],
    queryFn: () => call(organisations.getOrganisation, { params: { id: id ?? '' } }),
    enabled: isEdit,
  });
  useEffect(() => {
    if (existing.data) setValues(valuesOf(existing.data));
  }, [existing.data]);

  const save = useMutation({
    mutationFn: (): Promise<OrganisationView> =>
      isEdit
        ? call(organisations.updateOrganisation, { params: { id }, body: toPatch(values) })
        : call(organisations.createOrganisation, { body: toCreateInput(values) }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['organisations'] });
      // The change wrote an audit entry: the history and the log must show it.
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      queryClient.setQueryData(['organisations', 'one', saved.id], saved);
      notifications.show({
        color: 'teal',
        message: isEdit
          ? t('organisations.form.saved')
          : t('organisations.form.created', { name: saved.legalName }),
      });
      navigate(`/organisations/${saved.id}`);
    },
    onError: (error) => {
      if (!isApiError(error)) return;
      const split = splitFieldErrors(fieldErrorsFromApi(error, t), formFields);
      setErrors(split.inline);
      setOtherErrors(split.other);
      focusFirstError();
    },
  });

  const setValue = <K extends keyof FormValues>(name: K, value: FormValues[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _, ...rest }) => rest);
  };

  const text = (name: TextField) => ({
    name,
    value: values[name],
    error: errors[name],
    onChange: (e: { currentTarget: { value: string } }) => setValue(name, e.currentTarget.value),
  });

  const handleSiretBlur = () => {
    if (isEdit || values.siret.trim() === '') return;
    const parsed = organisationInput.shape.siret.safeParse(values.siret);
    const first = parsed.success ? undefined : parsed.error.issues[0];
    if (first) setErrors((e) => ({ ...e, siret: translateFieldMessage(first.message, t) }));
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = isEdit
      ? organisationPatch.safeParse(toPatch(values))
      : organisationInput.safeParse(toCreateInput(values));
    if (!parsed.success) {
      const split = splitFieldErrors(fieldErrorsFromZod(parsed.error, t), formFields);
      setErrors(split.inline);
      setOtherErrors(split.other);
      focusFirstError();
      return;
    }
    setOtherErrors([]);
    save.mutate();
  };

  if (isEdit && existing.isPending) return <PageLoader />;
  if (isEdit && existing.error)
    return <ErrorAlert error={existing.error} onRetry={() => void existing.refetch()} />;

  const field = (name: TextField) => t(`organisations.fields.${name}`);

  return (
    <form ref={formRef} onSubmit={handleSubmit} noValidate>
      <PageHeader
        title={isEdit ? t('organisations.form.editTitle') : t('organisations.form.createTitle')}
        subtitle={
          isEdit && existing.data
            ? `${existing.data.legalName} · ${formatSiret(existing.data.siret)}`
            : undefined
        }
        back={
          isEdit
            ? { to: `/organisations/${id}`, label: existing.data?.legalName ?? t('common.back') }
            : { to: '/organisations', label: t('organisations.detail.backToList') }
        }
      />
      <Stack gap="md" maw={960}>
        {save.error && <ErrorAlert error={save.error} extra={otherErrors.length ? otherErrors : undefined} />}
        {!save.error && otherErrors.length > 0 && (
          <ErrorAlert error={new ApiError('validation_failed', 400, '')} extra={otherErrors} />
        )}

        <Section title={t('organisations.form.identity')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={field('siret')}
              description={isEdit ? undefined : t('organisations.hints.siret')}
              required={!isEdit}
              disabled={isEdit}
              inputMode="numeric"
              autoComplete="off"
              {...text('siret')}
              onBlur={handleSiretBlur}
            />
            <TextInput
              label={field('nda')}
              description={t('organisations.hints.nda')}
              inputMode="numeric"
              {...text('nda')}
            />
            <TextInput label={field('legalName')} required {...text('legalName')} />
            <TextInput label={field('tradeName')} {...text('tradeName')} />
          </SimpleGrid>
        </Section>

        <Section title={t('organisations.form.address')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={field('addressLine')} autoComplete="street-address" {...text('addressLine')} />
            <TextInput
              label={field('postalCode')}
              autoComplete="postal-code"
              inputMode="numeric"
              {...text('postalCode')}
            />
            <TextInput label={field('city')} autoComplete="address-level2" {...text('city')} />
            <TextInput label={field('region')} autoComplete="address-level1" {...text('region')} />
          </SimpleGrid>
        </Section>

        <Section title={t('organisations.form.contact')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={field('email')} type="email" autoComplete="email" {...text('email')} />
            <TextInput label={field('phone')} type="tel" autoComplete="tel" {...text('phone')} />
            <TextInput
              label={field('website')}
              description={t('organisations.hints.website')}
              type="url"
              autoComplete="url"
              {...text('website')}
            />
          </SimpleGrid>
        </Section>

        <Section title={t('organisations.form.qualiopi')}>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('organisations.fields.qualiopiStatus')}
                data={qualiopiStatuses.map((s) => ({ value: s, label: t(`organisations.qualiopi.${s}`) }))}
                value={values.qualiopiStatus}
                onChange={(v) => setValue('qualiopiStatus', (v as QualiopiStatus | null) ?? 'unknown')}
                allowDeselect={false}
                error={errors.qualiopiStatus}
              />
              <DateInput
                label={t('organisations.fields.qualiopiExpiresOn')}
                placeholder={t('organisations.form.datePlaceholder')}
                valueFormat="DD/MM/YYYY"
                dateParser={parseTypedDate}
                value={values.qualiopiExpiresOn}
                onChange={(v) => setValue('qualiopiExpiresOn', v)}
                clearable
                error={errors.qualiopiExpiresOn}
              />
            </SimpleGrid>
            <Checkbox.Group
              label={t('organisations.fields.qualiopiCategories')}
              value={values.qualiopiCategories}
              onChange={(v) => setValue('qualiopiCategories', v)}
              error={errors.qualiopiCategories}
            >
              <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
                {qualiopiCategories.map((c) => (
                  <Checkbox key={c} value={c} label={t(`organisations.categories.${c}`)} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          </Stack>
        </Section>

        <Section title={t('organisations.form.notes')}>
          <Textarea label={field('notes')} autosize minRows={3} maxRows={10} {...text('notes')} />
        </Section>

        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            onClick={() => navigate(isEdit ? `/organisations/${id}` : '/organisations')}
          >
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
