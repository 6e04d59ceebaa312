import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.js';
import { IconAlert } from './icons.js';

/** The UI's sentence for any failure: API errors by their stable code, anything else as internal. */
export function errorMessage(error: unknown, t: TFunction<'translation'>): string {
  return t(`errors.codes.${isApiError(error) ? error.code : 'internal'}`);
}

export function ErrorAlert({
  error,
  onRetry,
  extra,
}: {
  error: unknown;
  onRetry?: () => void;
  /** More lines under the message, e.g. errors on fields the form does not show. */
  extra?: string[];
}) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" title={t('errors.title')} icon={<IconAlert />} role="alert">
      <Stack gap={6}>
        <Text size="sm">{errorMessage(error, t)}</Text>
        {extra && extra.length > 0 && (
          <>
            <Text size="sm" fw={500}>
              {t('errors.otherFields')}
            </Text>
            {extra.map((line) => (
              <Text size="sm" key={line}>
                {line}
              </Text>
            ))}
          </>
        )}
        {onRetry && (
          <Group>
            <Button size="xs" variant="white" color="red" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py={80}>
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}
