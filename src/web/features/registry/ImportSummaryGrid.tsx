import { Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format.js';

const fileCounts = [
  'certifications',
  'activeCertifications',
  'skillBlocks',
  'declaredPartners',
  'activeDeclaredPartners',
  'certifiers',
] as const;
const changeCounts = [
  'newFiches',
  'changedFiches',
  'unchangedFiches',
  'becameInactive',
  'becameActive',
  'partnersAdded',
  'partnersRemoved',
  'partnersChanged',
] as const;
const reconciliationCounts = [
  'ownedCertifications',
  'findingsOpened',
  'findingsClosed',
  'openFindings',
] as const;

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

function Figure({ label, value }: { label: string; value: number }) {
  const { i18n } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text fw={700} size="lg">
        {formatNumber(value, i18n.language)}
      </Text>
    </Paper>
  );
}

/**
 * The figures of an import summary (as the API gives it, with or without its rejects): what the file
 * holds, what changed in the registry, and the reconciliation of the certifier's own fiches.
 */
export function ImportSummaryGrid({ summary }: { summary: Record<string, unknown> }) {
  const { t } = useTranslation();
  const changes = (summary.changes ?? {}) as Record<string, unknown>;
  const reconciliation = (summary.reconciliation ?? {}) as Record<string, unknown>;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
        {fileCounts.map((k) => (
          <Figure key={k} label={t(`registry.summary.${k}`)} value={num(summary[k])} />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {changeCounts.map((k) => (
          <Figure key={k} label={t(`registry.summary.${k}`)} value={num(changes[k])} />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
        <Figure label={t('registry.summary.rejected')} value={num(summary.rejectedCount)} />
        <Figure label={t('registry.summary.unknownElements')} value={num(summary.unknownElements)} />
        {num(reconciliation.ownedCertifications) > 0 &&
          reconciliationCounts.map((k) => (
            <Figure key={k} label={t(`registry.summary.${k}`)} value={num(reconciliation[k])} />
          ))}
      </SimpleGrid>
    </Stack>
  );
}
