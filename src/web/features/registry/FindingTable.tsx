import { Anchor, Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { RegistryFindingView } from '../../../core/registry/registry.schema.js';
import { formatDate } from '../../i18n/format.js';
import { ruleKey } from './registry-labels.js';

const severityColors = { minor: 'yellow', major: 'orange', critical: 'red' } as const;

/** Reconciliation findings: the fiche, the kind of gap, what was found, and the file line it comes from. */
export function FindingTable({
  items,
  hideFiche = false,
}: {
  items: readonly RegistryFindingView[];
  hideFiche?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label={t('registry.tabs.findings')} verticalSpacing="sm">
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            {!hideFiche && <Table.Th>{t('registry.findings.columns.fiche')}</Table.Th>}
            <Table.Th>{t('registry.findings.columns.rule')}</Table.Th>
            <Table.Th>{t('registry.findings.columns.finding')}</Table.Th>
            <Table.Th>{t('registry.findings.columns.severity')}</Table.Th>
            <Table.Th>{t('registry.findings.columns.source')}</Table.Th>
            <Table.Th>{t('registry.findings.columns.openedAt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((f) => {
            const file = typeof f.source.file === 'string' ? f.source.file : '';
            const line = typeof f.source.line === 'number' ? f.source.line : null;
            return (
              <Table.Tr key={f.id}>
                {!hideFiche && (
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Anchor component={Link} to={`/registry/fiches/${f.ficheCode}`} ff="monospace" fw={600}>
                      {f.ficheCode}
                    </Anchor>
                  </Table.Td>
                )}
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {t(`registry.findings.rules.${ruleKey(f.ruleId) as 'declared_unknown'}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {f.organisationId ? (
                      <Anchor component={Link} to={`/organisations/${f.organisationId}`} size="sm" fw={500}>
                        {f.title}
                      </Anchor>
                    ) : (
                      <Text size="sm" fw={500}>
                        {f.title}
                      </Text>
                    )}
                    {f.description && (
                      <Text size="sm" c="dimmed">
                        {f.description}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Badge color={severityColors[f.severity]} variant="light" radius="sm">
                    {t(`registry.findings.severity.${f.severity}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {line === null ? file : t('registry.findings.sourceLine', { file, line })}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{formatDate(f.openedAt, i18n.language)}</Text>
                  {f.closedAt && (
                    <Text size="xs" c="dimmed">
                      {t('registry.findings.closed', { date: formatDate(f.closedAt, i18n.language) })}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={hideFiche ? 5 : 6}>
                <Text c="dimmed" ta="center" py="xl">
                  {t('registry.findings.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
