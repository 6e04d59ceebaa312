import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { auth } from '../../core/contracts/index.js';
import { call } from '../api/client.js';
import { useHealth } from '../api/queries.js';
import { useSession } from '../app/session.js';
import { AuthFrame } from '../components/AuthFrame.js';
import { ErrorAlert } from '../components/feedback.js';
import { IconInfo } from '../components/icons.js';

export function LoginPage() {
  const { t } = useTranslation();
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const health = useHealth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const login = useMutation({
    mutationFn: () => call(auth.login, { body: { email, password } }),
    onSuccess: (view) => {
      signIn(view);
      navigate(from, { replace: true });
    },
  });

  if (session) return <Navigate to={from} replace />;

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };

  return (
    <AuthFrame title={t('login.title')} intro={t('login.subtitle')}>
      {health.data?.needsSetup && (
        <Alert color="indigo" variant="light" icon={<IconInfo />}>
          {t('login.needsSetup')}
        </Alert>
      )}
      {login.error && <ErrorAlert error={login.error} />}
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t('login.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            data-autofocus
          />
          <PasswordInput
            label={t('login.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending} disabled={!email || !password} fullWidth mt="xs">
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
