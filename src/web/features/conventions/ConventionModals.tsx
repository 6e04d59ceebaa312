import { Button, FileInput, Group, Modal, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { conventions } from '../../../core/contracts/index.js';
import { type ConventionView, conventionInput } from '../../../core/conventions/convention.schema.js';
import { ApiError, call, isApiError } from '../../api/client.js';
import { useSignedIn } from '../../app/session.js';
import { ErrorAlert } from '../../components/feedback.js';
import { type FieldErrors, splitFieldErrors } from '../../forms/field-errors.js';
import { CertificationMultiPicker } from '../certifications/CertificationPicker.js';
import { uploadEvidenceFile } from '../evidence/evidence-upload.js';
import { issuesOf, networkFieldErrors } from '../network/network-messages.js';
import { DateField, today } from '../network/parts.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import {
  type ConventionFormValues,
  conventionFormFields,
  emptyConventionValues,
  toConventionInput,
} from './convention-form.js';

function useConventionSaved() {
  const queryClient = useQueryClient();
  return (saved: ConventionView) => {
    queryClient.setQueryData(['conventions', 'one', saved.id], saved);
    void queryClient.invalidateQueries({ queryKey: ['conventions'] });
    void queryClient.invalidateQueries({ queryKey: ['evidence'] });
    void queryClient.invalidateQueries({ queryKey: ['audit'] });
  };
}

/** Creates a draft convention, for a given organisation (partner page) or one picked here. */
export function CreateConventionModal({
  opened,
  onClose,
  organisationId,
}: {
  opened: boolean;
  onClose: () => void;
  organisationId: string | null;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const saved = useConventionSaved();
  const [values, setValues] = useState<ConventionFormValues>(() =>
    emptyConventionValues(organisationId, today()),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<string[]>([]);

  const show = (issues: Array<{ field: string; message: string }>, extra: FieldErrors = {}) => {
    const errs = networkFieldErrors(issues, t);
    // The fees travel as cents; their errors belong under the euro fields.
    for (const [from, to] of [
      ['feePerCandidateCents', 'feePerCandidate'],
      ['annualFeeCents', 'annualFee'],
    ] as const) {
      if (errs[from]) {
        errs[to] = errs[from];
        delete errs[from];
      }
    }
    const split = splitFieldErrors({ ...errs, ...extra }, conventionFormFields);
    setErrors(split.inline);
    setOther(split.other);
  };

  const create = useMutation({
    mutationFn: (body: ReturnType<typeof toConventionInput>['input']) =>
      call(conventions.createConvention, { body }),
    onSuccess: (convention) => {
      saved(convention);
      notifications.show({
        color: 'teal',
        message: t('conventions.form.created', { reference: convention.reference }),
      });
      handleClose();
      navigate(`/conventions/${convention.id}`);
    },
    onError: (error) => {
      if (isApiError(error)) show(error.fields);
    },
  });

  const handleClose = () => {
    setValues(emptyConventionValues(organisationId, today()));
    setErrors({});
    setOther([]);
    create.reset();
    onClose();
  };

  const set = <K extends keyof ConventionFormValues>(name: K, value: ConventionFormValues[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _, ...rest }) => rest);
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const { input, issues } = toConventionInput(values);
    const extra: FieldErrors = Object.fromEntries(issues.map((f) => [f, t('conventions.form.euros')]));
    if (!values.organisationId) extra.organisationId = t('validation.required');
    if (!values.startsOn) extra.startsOn = t('validation.required');
    const parsed = conventionInput.safeParse(input);
    if (!parsed.success || Object.keys(extra).length) {
      show(parsed.success ? [] : issuesOf(parsed.error), extra);
      return;
    }
    create.mutate(input);
  };

  return (
    <Modal opened={opened} onClose={handleClose} title={t('conventions.form.title')} size="xl" centered>
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {create.error && <ErrorAlert error={create.error} extra={other} />}
          {!create.error && other.length > 0 && (
            <ErrorAlert error={new ApiError('validation_failed', 400, '')} extra={other} />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {organisationId ? null : (
              <OrganisationPicker
                label={t('conventions.form.organisation')}
                value={values.organisationId}
                onChange={(v) => set('organisationId', v)}
                error={errors.organisationId}
                required
              />
            )}
            <TextInput
              label={t('conventions.form.reference')}
              description={t('conventions.form.referenceHint')}
              value={values.reference}
              onChange={(e) => set('reference', e.currentTarget.value)}
              error={errors.reference}
              required
              data-autofocus
            />
          </SimpleGrid>
          <CertificationMultiPicker
            label={t('conventions.form.certifications')}
            placeholder={t('conventions.form.certificationsPlaceholder')}
            value={values.certificationIds}
            onChange={(v) => set('certificationIds', v)}
            error={errors.certificationIds}
            required
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DateField
              label={t('conventions.form.startsOn')}
              value={values.startsOn}
              onChange={(v) => set('startsOn', v)}
              error={errors.startsOn}
              required
            />
            <DateField
              label={t('conventions.form.endsOn')}
              value={values.endsOn}
              onChange={(v) => set('endsOn', v)}
              error={errors.endsOn}
              clearable
            />
            <TextInput
              label={t('conventions.form.feePerCandidate')}
              inputMode="decimal"
              value={values.feePerCandidate}
              onChange={(e) => set('feePerCandidate', e.currentTarget.value)}
              error={errors.feePerCandidate}
            />
            <TextInput
              label={t('conventions.form.annualFee')}
              inputMode="decimal"
              value={values.annualFee}
              onChange={(e) => set('annualFee', e.currentTarget.value)}
              error={errors.annualFee}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Records the signature: the day, and optionally the signed document, uploaded first as an evidence file
 * of the partner and then named on the signature (the server links it to the convention).
 */
export function SignConventionModal({
  convention,
  opened,
  onClose,
}: {
  convention: ConventionView;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const saved = useConventionSaved();
  const [signedOn, setSignedOn] = useState<string | null>(today());
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  // A file already stored by an attempt the server then refused is not uploaded a second time.
  const uploaded = useRef<{ file: File; id: string } | null>(null);

  const sign = useMutation({
    mutationFn: async () => {
      const document =
        file && uploaded.current?.file === file
          ? { id: uploaded.current.id }
          : file
            ? await uploadEvidenceFile(
                file,
                { organisationId: convention.organisationId, description: convention.reference },
                session.csrfToken,
              )
            : null;
      if (file && document) uploaded.current = { file, id: document.id };
      return call(conventions.signConvention, {
        params: { id: convention.id },
        body: { signedOn: signedOn ?? '', ...(document ? { documentId: document.id } : {}) },
      });
    },
    onSuccess: (result) => {
      saved(result);
      notifications.show({
        color: 'teal',
        message: t('conventions.sign.done', { reference: result.reference }),
      });
      handleClose();
    },
    onError: (error) => {
      if (isApiError(error)) setErrors(networkFieldErrors(error.fields, t));
    },
  });

  const handleClose = () => {
    setSignedOn(today());
    setFile(null);
    setErrors({});
    sign.reset();
    onClose();
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!signedOn) {
      setErrors({ signedOn: t('validation.required') });
      return;
    }
    sign.mutate();
  };

  return (
    <Modal
      opened={opened}
      onClose={handleClose}
      title={t('conventions.sign.title', { reference: convention.reference })}
      size="lg"
      centered
    >
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {sign.error && <ErrorAlert error={sign.error} />}
          <DateField
            label={t('conventions.sign.signedOn')}
            description={t('conventions.sign.signedOnHint')}
            value={signedOn}
            onChange={(v) => {
              setSignedOn(v);
              setErrors({});
            }}
            error={errors.signedOn}
            required
          />
          <FileInput
            label={t('conventions.sign.document')}
            description={t('conventions.sign.documentHint')}
            placeholder={t('conventions.sign.documentPlaceholder')}
            value={file}
            onChange={setFile}
            error={errors.documentId ?? errors.file}
            clearable
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={sign.isPending}>
              {t('conventions.sign.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Terminates a convention from a day, with the reasons (kept on the convention and in the audit log). */
export function TerminateConventionModal({
  convention,
  opened,
  onClose,
}: {
  convention: ConventionView;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const saved = useConventionSaved();
  const [terminatedOn, setTerminatedOn] = useState<string | null>(today());
  const [reasons, setReasons] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const terminate = useMutation({
    mutationFn: () =>
      call(conventions.terminateConvention, {
        params: { id: convention.id },
        body: { terminatedOn: terminatedOn ?? '', reasons: reasons.trim() },
      }),
    onSuccess: (result) => {
      saved(result);
      notifications.show({
        color: 'teal',
        message: t('conventions.terminate.done', { reference: result.reference }),
      });
      handleClose();
    },
    onError: (error) => {
      if (isApiError(error)) setErrors(networkFieldErrors(error.fields, t));
    },
  });
  const handleClose = () => {
    setTerminatedOn(today());
    setReasons('');
    setErrors({});
    terminate.reset();
    onClose();
  };
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const missing: FieldErrors = {};
    if (!terminatedOn) missing.terminatedOn = t('validation.required');
    if (!reasons.trim()) missing.reasons = t('validation.required');
    if (Object.keys(missing).length) {
      setErrors(missing);
      return;
    }
    terminate.mutate();
  };
  return (
    <Modal
      opened={opened}
      onClose={handleClose}
      title={t('conventions.terminate.title', { reference: convention.reference })}
      size="lg"
      centered
    >
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {terminate.error && <ErrorAlert error={terminate.error} />}
          <DateField
            label={t('conventions.terminate.terminatedOn')}
            description={t('conventions.terminate.terminatedOnHint')}
            value={terminatedOn}
            onChange={setTerminatedOn}
            error={errors.terminatedOn}
            required
          />
          <Textarea
            label={t('conventions.terminate.reasons')}
            autosize
            minRows={3}
            value={reasons}
            onChange={(e) => setReasons(e.currentTarget.value)}
            error={errors.reasons}
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={terminate.isPending}>
              {t('conventions.terminate.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
