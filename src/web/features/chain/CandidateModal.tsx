import {
  Alert,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessRoutes, type CandidateView } from '../../../core/candidates/candidate.schema.js';
import { candidates } from '../../../core/contracts/index.js';
import { type ApiError, call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { type FieldErrors, fieldErrorsFromApi, splitFieldErrors } from '../../forms/field-errors.js';
import { DateField } from '../network/parts.js';
import { ProblemAlert } from './parts.js';

const fields = [
  'birthName',
  'usageName',
  'firstNames',
  'sex',
  'birthDate',
  'birthPlaceCode',
  'birthCountryCode',
  'email',
  'accessRoute',
  'reason',
];

/** A partner's refusal: the identity is on a certificate (server `conflict`, `details.reason` identity_certified). */
const certifiedNumbers = (error: unknown): string | null => {
  if (!isApiError(error) || error.code !== 'conflict') return null;
  const details = (error as ApiError).details;
  if (details?.reason !== 'identity_certified' || !Array.isArray(details.certificates)) return null;
  return details.certificates.join(', ');
};

const initialValues = (candidate: CandidateView | undefined) => ({
  birthName: candidate?.birthName ?? '',
  usageName: candidate?.usageName ?? '',
  firstNames: candidate?.firstNames ?? '',
  sex: (candidate?.sex ?? null) as string | null,
  birthDate: (candidate?.birthDate ?? null) as string | null,
  bornIn: (candidate && !candidate.birthPlaceCode && candidate.birthCountryCode ? 'abroad' : 'france') as
    | 'france'
    | 'abroad',
  birthPlace: candidate?.birthPlaceCode ?? candidate?.birthCountryCode ?? '',
  email: candidate?.email ?? '',
  accessRoute: (candidate?.accessRoute ?? 'continuing_training') as string | null,
  reason: '',
});

/**
 * Registers a candidate with the identity the CDC accrochage needs (birth name, first names in civil-registry
 * order, sex, birth date, INSEE code of the commune or of the country of birth), then hands it back. Given a
 * `candidate`, the same form corrects it (`PATCH /api/candidates/:id`, the same checks); certifier staff may
 * then give the reason the server asks for when the identity is on a certificate.
 */
export function CandidateModal({
  opened,
  onClose,
  organisationId,
  candidate,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  organisationId: string | null;
  /** The candidate to correct; absent, a new one is registered. */
  candidate?: CandidateView;
  onSaved: (candidate: CandidateView) => void;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [values, setValues] = useState(() => initialValues(candidate));
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (key: keyof typeof values, value: string | null) => setValues((v) => ({ ...v, [key]: value }));
  const identity = () => ({
    birthName: values.birthName,
    usageName: values.usageName.trim() || null,
    firstNames: values.firstNames,
    sex: (values.sex ?? '') as 'M' | 'F',
    birthDate: values.birthDate ?? '',
    email: values.email.trim() || null,
    accessRoute: (values.accessRoute ?? '') as (typeof accessRoutes)[number],
  });
  const save = useMutation({
    mutationFn: () =>
      candidate
        ? call(candidates.updateCandidate, {
            params: { id: candidate.id },
            body: {
              ...identity(),
              // Both codes are sent: switching between France and abroad clears the other one.
              ...(values.bornIn === 'france'
                ? { birthPlaceCode: values.birthPlace.trim() || null, birthCountryCode: null }
                : { birthPlaceCode: null, birthCountryCode: values.birthPlace.trim() || null }),
              ...(values.reason.trim() ? { reason: values.reason.trim() } : {}),
            },
          })
        : call(candidates.createCandidate, {
            body: {
              organisationId,
              ...identity(),
              ...(values.bornIn === 'france'
                ? { birthPlaceCode: values.birthPlace.trim() || null }
                : { birthCountryCode: values.birthPlace.trim() || null }),
            },
          }),
    onSuccess: (saved) => {
      onSaved(saved);
      onClose();
    },
    onError: (error) => {
      const numbers = certifiedNumbers(error);
      // A certified identity: each field the partner changed is marked, the alert above says why.
      if (numbers && isApiError(error))
        setErrors(
          Object.fromEntries(
            error.fields.map((f) => [f.field, t('chain.candidate.onCertificate', { numbers })]),
          ),
        );
      else setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {});
    },
  });
  const locked = certifiedNumbers(save.error);
  const split = splitFieldErrors(errors, fields);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate();
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={
        candidate
          ? t('chain.candidate.editTitle', { name: `${candidate.firstNames} ${candidate.birthName}` })
          : t('chain.candidate.newTitle')
      }
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('chain.candidate.help')}
          </Text>
          {locked ? (
            <Alert color="orange" variant="light" data-testid="identity-certified">
              {t('chain.candidate.identityCertified', { numbers: locked })}
            </Alert>
          ) : (
            save.error && <ProblemAlert error={save.error} />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('chain.candidate.birthName')}
              value={values.birthName}
              onChange={(e) => set('birthName', e.currentTarget.value)}
              error={split.inline.birthName}
              required
            />
            <TextInput
              label={t('chain.candidate.usageName')}
              value={values.usageName}
              onChange={(e) => set('usageName', e.currentTarget.value)}
              error={split.inline.usageName}
            />
            <TextInput
              label={t('chain.candidate.firstNames')}
              description={t('chain.candidate.firstNamesHelp')}
              value={values.firstNames}
              onChange={(e) => set('firstNames', e.currentTarget.value)}
              error={split.inline.firstNames}
              required
            />
            <Select
              label={t('chain.candidate.sex')}
              data={[
                { value: 'F', label: t('chain.candidate.sexF') },
                { value: 'M', label: t('chain.candidate.sexM') },
              ]}
              value={values.sex}
              onChange={(v) => set('sex', v)}
              error={split.inline.sex}
              required
            />
            <DateField
              label={t('chain.candidate.birthDate')}
              value={values.birthDate}
              onChange={(v) => set('birthDate', v)}
              error={split.inline.birthDate}
              required
            />
            <Select
              label={t('chain.candidate.accessRoute')}
              data={accessRoutes.map((r) => ({ value: r, label: t(`chain.accessRoute.${r}`) }))}
              value={values.accessRoute}
              onChange={(v) => set('accessRoute', v)}
              error={split.inline.accessRoute}
              required
            />
          </SimpleGrid>
          <SegmentedControl
            value={values.bornIn}
            onChange={(v) => set('bornIn', v)}
            data={[
              { value: 'france', label: t('chain.candidate.bornInFrance') },
              { value: 'abroad', label: t('chain.candidate.bornAbroad') },
            ]}
            w="fit-content"
          />
          <TextInput
            label={
              values.bornIn === 'france'
                ? t('chain.candidate.birthPlaceCode')
                : t('chain.candidate.birthCountryCode')
            }
            description={
              values.bornIn === 'france'
                ? t('chain.candidate.birthPlaceCodeHelp')
                : t('chain.candidate.birthCountryCodeHelp')
            }
            value={values.birthPlace}
            onChange={(e) => set('birthPlace', e.currentTarget.value)}
            error={split.inline.birthPlaceCode ?? split.inline.birthCountryCode}
            required
            w={260}
          />
          <TextInput
            label={t('chain.candidate.email')}
            type="email"
            value={values.email}
            onChange={(e) => set('email', e.currentTarget.value)}
            error={split.inline.email}
          />
          {candidate && can('certificate.manage') && (
            <Textarea
              label={t('chain.candidate.reason')}
              description={t('chain.candidate.reasonHelp')}
              value={values.reason}
              onChange={(e) => set('reason', e.currentTarget.value)}
              // Too short, or missing for a certified identity: translated by forms/field-errors.ts.
              error={split.inline.reason}
              autosize
              minRows={2}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {candidate ? t('common.save') : t('chain.candidate.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * « Modifier » next to a candidate: loads the candidate (the lists carry only names) and opens the form on it.
 * Hidden without `chain.declare`; the server still decides what may change.
 */
export function CandidateEditButton({
  candidateId,
  onSaved,
}: {
  candidateId: string;
  onSaved?: (candidate: CandidateView) => void;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [open, setOpen] = useState(false);
  const candidate = useQuery({
    queryKey: ['candidates', 'one', candidateId],
    queryFn: () => call(candidates.getCandidate, { params: { id: candidateId } }),
    enabled: open,
  });
  if (!can('chain.declare')) return null;
  return (
    <>
      <Button
        size="xs"
        variant="subtle"
        loading={open && candidate.isPending}
        onClick={() => setOpen(true)}
        data-testid={`edit-candidate-${candidateId}`}
      >
        {t('common.edit')}
      </Button>
      {open && candidate.error && <ProblemAlert error={candidate.error} />}
      {open && candidate.data && (
        <CandidateModal
          opened
          onClose={() => setOpen(false)}
          organisationId={candidate.data.organisationId}
          candidate={candidate.data}
          onSaved={(saved) => {
            void candidate.refetch();
            onSaved?.(saved);
          }}
        />
      )}
    </>
  );
}
