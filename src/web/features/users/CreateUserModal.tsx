import { Alert, Button, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Role, roles } from '../../../core/access/policy.js';
import { users } from '../../../core/contracts/index.js';
import { type UserInput, userInput } from '../../../core/users/user.schema.js';
import { call, isApiError } from '../../api/client.js';
import { ErrorAlert } from '../../components/feedback.js';
import { IconCheck, IconInfo, IconLink } from '../../components/icons.js';
import {
  type FieldErrors,
  fieldErrorsFromApi,
  fieldErrorsFromZod,
  splitFieldErrors,
} from '../../forms/field-errors.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';

const formFields = ['email', 'displayName', 'role', 'organisationId', 'locale'] as const;

interface Values {
  email: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
  locale: 'fr' | 'en';
}

const initial: Values = {
  email: '',
  displayName: '',
  role: 'quality_manager',
  organisationId: null,
  locale: 'fr',
};

const toUserInput = (v: Values): UserInput => ({
  email: v.email.trim(),
  displayName: v.displayName,
  role: v.role,
  locale: v.locale,
  ...(v.role === 'partner' ? { organisationId: v.organisationId } : {}),
});

/**
 * Creates an account without a password: the server answers with a one-time setup link, shown once here
 * for the administrator to pass on (Habilis does not choose or see anyone's password).
 */
export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);

  const create = useMutation({
    mutationFn: (body: UserInput) => call(users.createUser, { body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
    onError: (error) => {
      if (!isApiError(error)) return;
      const split = splitFieldErrors(fieldErrorsFromApi(error, t), formFields);
      setErrors(split.inline);
      setOtherErrors(split.other);
    },
  });

  const handleClose = () => {
    setValues(initial);
    setErrors({});
    setOtherErrors([]);
    create.reset();
    onClose();
  };

  const set = <K extends keyof Values>(name: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _, ...rest }) => rest);
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body = toUserInput(values);
    const parsed = userInput.safeParse(body);
    if (!parsed.success) {
      const split = splitFieldErrors(fieldErrorsFromZod(parsed.error, t), formFields);
      setErrors(split.inline);
      setOtherErrors(split.other);
      return;
    }
    create.mutate(body);
  };

  const created = create.data;

  return (
    <Modal
      opened={opened}
      onClose={handleClose}
      title={created ? t('users.created.title') : t('users.form.title')}
      size="lg"
      centered
    >
      {created ? (
        <Stack>
          {created.setupLink ? (
            <>
              <Text size="sm">
                {t('users.created.text', { name: created.user.displayName, email: created.user.email })}
              </Text>
              <Group gap="xs" wrap="nowrap" align="flex-end">
                <TextInput
                  readOnly
                  value={created.setupLink}
                  leftSection={<IconLink size={16} />}
                  style={{ flex: 1 }}
                  onFocus={(e) => e.currentTarget.select()}
                  aria-label={t('users.created.title')}
                  data-testid="setup-link"
                />
                <CopyButton value={created.setupLink}>
                  {({ copied, copy }) => (
                    <Button
                      color={copied ? 'teal' : undefined}
                      onClick={copy}
                      leftSection={copied ? <IconCheck size={16} /> : undefined}
                    >
                      {copied ? t('common.copied') : t('common.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </>
          ) : (
            <Text size="sm">{t('users.created.noLink', { name: created.user.displayName })}</Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={handleSubmit} noValidate>
          <Stack>
            {create.error && (
              <ErrorAlert error={create.error} extra={otherErrors.length ? otherErrors : undefined} />
            )}
            <TextInput
              label={t('users.form.email')}
              type="email"
              required
              value={values.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              error={errors.email}
              data-autofocus
            />
            <TextInput
              label={t('users.form.displayName')}
              required
              value={values.displayName}
              onChange={(e) => set('displayName', e.currentTarget.value)}
              error={errors.displayName}
            />
            <Group grow align="flex-start">
              <Select
                label={t('users.form.role')}
                required
                data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                value={values.role}
                onChange={(r) => set('role', (r as Role | null) ?? 'read_only')}
                allowDeselect={false}
                error={errors.role}
              />
              <Select
                label={t('users.form.locale')}
                data={[
                  { value: 'fr', label: t('language.fr') },
                  { value: 'en', label: t('language.en') },
                ]}
                value={values.locale}
                onChange={(l) => set('locale', l === 'en' ? 'en' : 'fr')}
                allowDeselect={false}
              />
            </Group>
            {values.role === 'partner' && (
              <OrganisationPicker
                label={t('users.form.organisation')}
                placeholder={t('users.form.organisationPlaceholder')}
                required
                value={values.organisationId}
                onChange={(id) => set('organisationId', id)}
                error={errors.organisationId}
              />
            )}
            <Alert variant="light" color="indigo" icon={<IconInfo />}>
              <Text size="sm">{t('users.form.invitationNote')}</Text>
            </Alert>
            <Group justify="flex-end">
              <Button variant="default" onClick={handleClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('users.form.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
