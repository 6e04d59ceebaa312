import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

function StatusPage({ title, text }: { title: string; text: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="lg" p={48} maw={640} mx="auto" mt="xl">
      <Stack align="center" gap="md" ta="center">
        <Title order={2}>{title}</Title>
        <Text c="dimmed">{text}</Text>
        <Button component={Link} to="/" variant="light">
          {t('notFound.home')}
        </Button>
      </Stack>
    </Paper>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <StatusPage title={t('notFound.title')} text={t('notFound.text')} />;
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return <StatusPage title={t('forbidden.title')} text={t('forbidden.text')} />;
}
