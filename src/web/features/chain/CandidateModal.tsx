import {
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessRoutes, type CandidateView } from '../../../core/candidates/candidate.schema.js';
import { candidates } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
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
];

/**
 * Registers a candidate with the identity the CDC accrochage needs (birth name, first names in civil-registry
 * order, sex, birth date, INSEE code of the commune or of the country of birth), then hands it back.
 */
export function CandidateModal({
  opened,
  onClose,
  organisationId,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  organisationId: string | null;
  onCreated: (candidate: CandidateView) => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState({
    birthName: '',
    usageName: '',
    firstNames: '',
    sex: null as string | null,
    birthDate: null as string | null,
    bornIn: 'france' as 'france' | 'abroad',
    birthPlace: '',
    email: '',
    accessRoute: 'continuing_training' as string | null,
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (key: keyof typeof values, value: string | null) => setValues((v) => ({ ...v, [key]: value }));
  const create = useMutation({
    mutationFn: () =>
      call(candidates.createCandidate, {
        body: {
          organisationId,
          birthName: values.birthName,
          usageName: values.usageName.trim() || null,
          firstNames: values.firstNames,
          sex: (values.sex ?? '') as 'M' | 'F',
          birthDate: values.birthDate ?? '',
          ...(values.bornIn === 'france'
            ? { birthPlaceCode: values.birthPlace.trim() || null }
            : { birthCountryCode: values.birthPlace.trim() || null }),
          email: values.email.trim() || null,
          accessRoute: (values.accessRoute ?? '') as (typeof accessRoutes)[number],
        },
      }),
    onSuccess: (candidate) => {
      onCreated(candidate);
      onClose();
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
    <Modal opened={opened} onClose={onClose} title={t('chain.candidate.newTitle')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('chain.candidate.help')}
          </Text>
          {create.error && <ProblemAlert error={create.error} />}
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
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('chain.candidate.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
