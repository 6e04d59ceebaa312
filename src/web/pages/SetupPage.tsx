import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { auth, invitations } from '../../core/contracts/index.js';
import { setupInput } from '../../core/users/user.schema.js';
import { call, isApiError } from '../api/client.js';
import { useHealth } from '../api/queries.js';
import { useSession } from '../app/session.js';
import { AuthFrame } from '../components/AuthFrame.js';
import { ErrorAlert, PageLoader } from '../components/feedback.js';
import {
  type FieldErrors,
  fieldErrorsFromApi,
  fieldErrorsFromZod,
  splitFieldErrors,
} from '../forms/field-errors.js';
import { useFocusFirstError } from '../forms/use-focus-first-error.js';
import { formatDateTime } from '../i18n/format.js';

const formFields = ['email', 'displayName', 'password', 'passwordConfirm'] as const;

/**
 * Redeems a one-time setup link: the first administrator's (printed by the server on first start) or an
 * invitation made by an administrator. Both end signed in.
 */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const health = useHealth();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [values, setValues] = useState({ email: '', displayName: '', password: '', passwordConfirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const isFirstAdmin = health.data?.needsSetup === true;
  // An invitation link: what it is worth (pending, used, expired, withdrawn, replaced, unknown) and, while
  // usable, who is invited, so the form can say so and fill in the address.
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => call(invitations.lookupInvitation, { body: { token } }),
    enabled: health.data?.needsSetup === false && token.length >= 20,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const invited = invitation.data?.state === 'pending' ? invitation.data : undefined;
  useEffect(() => {
    if (invited)
      setValues((v) => ({
        ...v,
        email: v.email || (invited.email ?? ''),
        displayName: v.displayName || (invited.displayName ?? ''),
      }));
  }, [invited]);
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useFocusFirstError(formRef);

  const setup = useMutation({
    mutationFn: (body: { token: string; email: string; displayName: string; password: string }) =>
      isFirstAdmin ? call(auth.completeSetup, { body }) : call(invitations.acceptInvitation, { body }),
    onSuccess: (view) => {
      signIn(view);
      notifications.show({ color: 'teal', message: t('setup.welcome', { name: view.user.displayName }) });
      navigate('/', { replace: true });
    },
    onError: (error) => {
      if (!isApiError(error)) return;
      const split = splitFieldErrors(fieldErrorsFromApi(error, t), formFields);
      setErrors(split.inline);
      setOtherErrors(split.other);
      focusFirstError();
    },
  });

  const field = (name: (typeof formFields)[number]) => ({
    value: values[name],
    error: errors[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setValues((v) => ({ ...v, [name]: value }));
      setErrors(({ [name]: _, ...rest }) => rest);
    },
  });

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body = { token, email: values.email, displayName: values.displayName, password: values.password };
    const parsed = setupInput.safeParse(body);
    const found = parsed.success ? {} : fieldErrorsFromZod(parsed.error, t);
    if (values.password !== values.passwordConfirm) found.passwordConfirm = t('validation.passwordMismatch');
    const split = splitFieldErrors(found, formFields);
    setErrors(split.inline);
    setOtherErrors(split.other.filter((line) => !line.startsWith('token')));
    if (Object.keys(found).length > 0) {
      focusFirstError();
      return;
    }
    setup.mutate(body);
  };

  if (token.length < 20) {
    return (
      <AuthFrame title={t('setup.invitationTitle')}>
        <Alert color="orange" variant="light">
          {t('setup.missingToken')}
        </Alert>
        <Anchor component={Link} to="/login" size="sm">
          {t('setup.toLogin')}
        </Anchor>
      </AuthFrame>
    );
  }

  if (health.isPending || (!isFirstAdmin && invitation.isPending)) return <PageLoader />;
  const linkState = invitation.data?.state;
  if (!isFirstAdmin && linkState && linkState !== 'pending') {
    return (
      <AuthFrame title={t('portal.invitations.linkStateTitle')}>
        <Alert color={linkState === 'accepted' ? 'teal' : 'orange'} variant="light" role="alert">
          {t(`portal.invitations.linkState.${linkState}`)}
        </Alert>
        <Anchor component={Link} to="/login" size="sm">
          {t('setup.toLogin')}
        </Anchor>
      </AuthFrame>
    );
  }
  const invitedLine = invited
    ? invited.organisationName
      ? t('portal.invitations.invitedBy', {
          name: invited.invitedBy,
          organisation: invited.organisationName,
          date: formatDateTime(invited.expiresAt, i18n.language),
        })
      : t('portal.invitations.invitedByInternal', {
          name: invited.invitedBy,
          role: invited.role ? t(`roles.${invited.role}`) : '',
          date: formatDateTime(invited.expiresAt, i18n.language),
        })
    : null;

  return (
    <AuthFrame
      title={isFirstAdmin ? t('setup.firstAdminTitle') : t('setup.invitationTitle')}
      intro={isFirstAdmin ? t('setup.firstAdminIntro') : t('setup.invitationIntro')}
    >
      {invitedLine && (
        <Alert color="indigo" variant="light">
          {invitedLine}
        </Alert>
      )}
      {setup.error && <ErrorAlert error={setup.error} extra={otherErrors.length ? otherErrors : undefined} />}
      {setup.error && isApiError(setup.error) && setup.error.code === 'setup_token_invalid' && (
        <Anchor component={Link} to="/login" size="sm">
          {t('setup.toLogin')}
        </Anchor>
      )}
      <form ref={formRef} onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t('setup.email')}
            type="email"
            autoComplete="email"
            required
            {...field('email')}
          />
          <TextInput label={t('setup.displayName')} autoComplete="name" required {...field('displayName')} />
          <PasswordInput
            label={t('setup.password')}
            description={t('setup.passwordHint')}
            autoComplete="new-password"
            required
            {...field('password')}
          />
          <PasswordInput
            label={t('setup.passwordConfirm')}
            autoComplete="new-password"
            required
            {...field('passwordConfirm')}
          />
          <Button type="submit" loading={setup.isPending} fullWidth mt="xs">
            {isFirstAdmin ? t('setup.submitFirstAdmin') : t('setup.submitInvitation')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
