import {
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { conventions, findings, habilitations, partnerRequests } from '../../../core/contracts/index.js';
import { type RequestInput, requestInput } from '../../../core/partner-requests/partner-request.schema.js';
import { call, isApiError } from '../../api/client.js';
import { ErrorAlert } from '../../components/feedback.js';
import {
  type FieldErrors,
  fieldErrorsFromApi,
  fieldErrorsFromZod,
  splitFieldErrors,
} from '../../forms/field-errors.js';
import { DateField, today } from '../network/parts.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';

const formFields = [
  'organisationId',
  'kind',
  'title',
  'body',
  'dueOn',
  'habilitationId',
  'conventionId',
  'findingId',
] as const;

const inDays = (n: number) =>
  new Date(Date.parse(`${today()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface Values {
  organisationId: string | null;
  kind: 'documents' | 'information';
  title: string;
  body: string;
  dueOn: string | null;
  habilitationId: string | null;
  conventionId: string | null;
  findingId: string | null;
}

/**
 * Asks a partner for documents or information by a due date, optionally about one of its habilitations,
 * conventions or findings (given `organisationId`, the partner is fixed, as on its page; `about` presets the
 * habilitation, convention or finding, e.g. `<NewRequestModal organisationId={f.organisationId}
 * about={{ findingId: f.id }} … />` on a finding's page).
 */
export function NewRequestModal({
  opened,
  onClose,
  organisationId,
  about,
}: {
  opened: boolean;
  onClose: () => void;
  organisationId?: string;
  /** What the request is about, preset (e.g. from a finding's page). */
  about?: { habilitationId?: string; conventionId?: string; findingId?: string };
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const initial: Values = {
    organisationId: organisationId ?? null,
    kind: 'documents',
    title: '',
    body: '',
    dueOn: inDays(15),
    habilitationId: about?.habilitationId ?? null,
    conventionId: about?.conventionId ?? null,
    findingId: about?.findingId ?? null,
  };
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<string[]>([]);
  const org = values.organisationId;
  const linkQuery = { organisationId: org ?? undefined, limit: 200 };
  const habs = useQuery({
    queryKey: ['habilitations', 'list', linkQuery],
    queryFn: () => call(habilitations.listHabilitations, { query: linkQuery }),
    enabled: opened && org !== null,
  });
  const convs = useQuery({
    queryKey: ['conventions', 'list', linkQuery],
    queryFn: () => call(conventions.listConventions, { query: linkQuery }),
    enabled: opened && org !== null,
  });
  const finds = useQuery({
    queryKey: ['findings', 'list', linkQuery],
    queryFn: () => call(findings.listFindings, { query: linkQuery }),
    enabled: opened && org !== null,
  });

  const create = useMutation({
    mutationFn: (body: RequestInput) => call(partnerRequests.createRequest, { body }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['requests'] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      notifications.show({
        color: 'teal',
        message: t('portal.requests.created', { name: saved.organisationName }),
      });
      handleClose();
      navigate(`/requests/${saved.id}`);
    },
    onError: (error) => {
      if (!isApiError(error)) return;
      const split = splitFieldErrors(fieldErrorsFromApi(error, t), formFields);
      setErrors(split.inline);
      setOther(split.other);
    },
  });

  function handleClose() {
    setValues(initial);
    setErrors({});
    setOther([]);
    create.reset();
    onClose();
  }

  const set = <K extends keyof Values>(name: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _, ...rest }) => rest);
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      organisationId: values.organisationId ?? '',
      kind: values.kind,
      title: values.title,
      body: values.body,
      dueOn: values.dueOn ?? '',
      habilitationId: values.habilitationId,
      conventionId: values.conventionId,
      findingId: values.findingId,
    };
    const parsed = requestInput.safeParse(body);
    if (!parsed.success) {
      const split = splitFieldErrors(fieldErrorsFromZod(parsed.error, t), formFields);
      setErrors(split.inline);
      setOther(split.other);
      return;
    }
    create.mutate(body);
  };

  return (
    <Modal opened={opened} onClose={handleClose} title={t('portal.requests.newTitle')} size="lg" centered>
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {create.error && <ErrorAlert error={create.error} extra={other.length ? other : undefined} />}
          {!organisationId && (
            <OrganisationPicker
              label={t('portal.requests.fields.organisation')}
              required
              value={values.organisationId}
              onChange={(id) => {
                set('organisationId', id);
                setValues((v) => ({ ...v, habilitationId: null, conventionId: null, findingId: null }));
              }}
              error={errors.organisationId}
            />
          )}
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('portal.requests.fields.kind')}
            </Text>
            <SegmentedControl
              aria-label={t('portal.requests.fields.kind')}
              value={values.kind}
              onChange={(k) => set('kind', k === 'information' ? 'information' : 'documents')}
              data={[
                { value: 'documents', label: t('portal.requests.kinds.documents') },
                { value: 'information', label: t('portal.requests.kinds.information') },
              ]}
            />
          </Stack>
          <TextInput
            label={t('portal.requests.fields.title')}
            required
            value={values.title}
            onChange={(e) => set('title', e.currentTarget.value)}
            error={errors.title}
            data-autofocus
          />
          <Textarea
            label={t('portal.requests.fields.body')}
            description={t('portal.requests.fields.bodyHint')}
            required
            autosize
            minRows={4}
            value={values.body}
            onChange={(e) => set('body', e.currentTarget.value)}
            error={errors.body}
          />
          <DateField
            label={t('portal.requests.fields.dueOn')}
            required
            value={values.dueOn}
            onChange={(d) => set('dueOn', d)}
            error={errors.dueOn}
          />
          {org && (
            <>
              <Select
                label={t('portal.requests.fields.habilitation')}
                clearable
                data={(habs.data?.items ?? []).map((h) => ({
                  value: h.id,
                  label: `${h.certificationCode} · ${t(`habilitations.status.${h.status}`)}`,
                }))}
                value={values.habilitationId}
                onChange={(v) => set('habilitationId', v)}
                error={errors.habilitationId}
              />
              <Group grow align="flex-start">
                <Select
                  label={t('portal.requests.fields.convention')}
                  clearable
                  data={(convs.data?.items ?? []).map((c) => ({ value: c.id, label: c.reference }))}
                  value={values.conventionId}
                  onChange={(v) => set('conventionId', v)}
                  error={errors.conventionId}
                />
                <Select
                  label={t('portal.requests.fields.finding')}
                  clearable
                  data={(finds.data?.items ?? []).map((f) => ({ value: f.id, label: f.title }))}
                  value={values.findingId}
                  onChange={(v) => set('findingId', v)}
                  error={errors.findingId}
                />
              </Group>
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('portal.requests.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
