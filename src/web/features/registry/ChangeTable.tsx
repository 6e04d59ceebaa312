import { Anchor, Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { FicheChangeView } from '../../../core/registry/registry.schema.js';
import { formatDateTime } from '../../i18n/format.js';
import { changeKindColors, describeChange } from './registry-labels.js';

/** Rows of the change history: when, which fiche (optional), what kind, and what changed in words. */
export function ChangeTable({
  items,
  showFiche = false,
  showDate = true,
  label,
}: {
  items: readonly FicheChangeView[];
  showFiche?: boolean;
  showDate?: boolean;
  label: string;
}) {
  const { t, i18n } = useTranslation();
  const columns = 2 + (showFiche ? 1 : 0) + (showDate ? 1 : 0);
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={label} verticalSpacing="xs">
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            {showDate && <Table.Th>{t('registry.changes.columns.date')}</Table.Th>}
            {showFiche && <Table.Th>{t('registry.changes.columns.fiche')}</Table.Th>}
            <Table.Th>{t('registry.changes.columns.kind')}</Table.Th>
            <Table.Th>{t('registry.changes.columns.details')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id}>
              {showDate && (
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Anchor component={Link} to={`/registry/imports/${c.runId}`} size="sm">
                    {formatDateTime(c.createdAt, i18n.language)}
                  </Anchor>
                </Table.Td>
              )}
              {showFiche && (
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Anchor component={Link} to={`/registry/fiches/${c.ficheCode}`} ff="monospace" fw={600}>
                    {c.ficheCode}
                  </Anchor>
                </Table.Td>
              )}
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Badge color={changeKindColors[c.kind]} variant="light" radius="sm">
                  {t(`registry.changes.kinds.${c.kind}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {describeChange(c, t, i18n.language).map((line, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one change never reorder
                    <Text size="sm" key={i} style={{ wordBreak: 'break-word' }}>
                      {line}
                    </Text>
                  ))}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns}>
                <Text c="dimmed" ta="center" py="md">
                  {t('registry.changes.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
