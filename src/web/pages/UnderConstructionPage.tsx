import { Badge, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PlannedArea } from '../app/navigation.js';
import { IconTools } from '../components/icons.js';

/** An area of the product not built yet: says so, and what it will do. No sample data. */
export function UnderConstructionPage({ area }: { area: PlannedArea }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="lg" p={48} maw={760} mx="auto" mt="xl">
      <Stack align="center" gap="md" ta="center">
        <ThemeIcon size={64} radius="xl" variant="light" color="indigo">
          <IconTools size={32} />
        </ThemeIcon>
        <Badge variant="light" color="orange" size="lg">
          {t('underConstruction.badge')}
        </Badge>
        <Title order={2}>{t(`nav.${area}`)}</Title>
        <Text c="dimmed">{t('underConstruction.lead')}</Text>
        <Text maw={560}>{t(`underConstruction.descriptions.${area}`)}</Text>
      </Stack>
    </Paper>
  );
}
