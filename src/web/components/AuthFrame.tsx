import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LogoMark } from './icons.js';
import { LanguageSwitch } from './LanguageSwitch.js';

/** The frame of the signed-out pages (sign-in, setup): brand, language switch, one card. */
export function AuthFrame({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)">
      <Group justify="space-between" px="xl" py="md">
        <Group gap={10}>
          <LogoMark />
          <Text fw={700} size="lg">
            {t('app.name')}
          </Text>
        </Group>
        <LanguageSwitch />
      </Group>
      <Center px="md" pt={48} pb={48}>
        <Paper withBorder shadow="sm" p={36} w="100%" maw={460}>
          <Stack gap="lg">
            <Stack gap={6}>
              <Title order={2}>{title}</Title>
              {intro && (
                <Text c="dimmed" size="sm">
                  {intro}
                </Text>
              )}
            </Stack>
            {children}
          </Stack>
        </Paper>
      </Center>
      <Text ta="center" size="xs" c="dimmed" pb="xl">
        {t('app.tagline')}
      </Text>
    </Box>
  );
}
