import { Anchor, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { HabilitationView } from '../../../core/habilitations/habilitation.schema.js';
import { formatPeriod, HabilitationStatusBadge } from '../network/parts.js';

/**
 * Habilitations as rows: partner, certification, scope, blocks, period, status. A page that is already
 * about one partner or one certification hides that column. `header` lets the list page put sortable
 * column headers in place of the plain ones.
 */
export function HabilitationTable({
  items,
  hideOrganisation,
  hideCertification,
  header,
  empty,
}: {
  items: readonly HabilitationView[];
  hideOrganisation?: boolean;
  hideCertification?: boolean;
  header?: { organisation?: ReactNode; certification?: ReactNode; period?: ReactNode };
  empty: string;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const columns = 6 - (hideOrganisation ? 1 : 0) - (hideCertification ? 1 : 0);
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover aria-label={t('habilitations.title')}>
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            {!hideOrganisation &&
              (header?.organisation ?? <Table.Th>{t('habilitations.columns.organisation')}</Table.Th>)}
            {!hideCertification &&
              (header?.certification ?? <Table.Th>{t('habilitations.columns.certification')}</Table.Th>)}
            <Table.Th>{t('habilitations.columns.scope')}</Table.Th>
            <Table.Th>{t('habilitations.columns.blocks')}</Table.Th>
            {header?.period ?? <Table.Th>{t('habilitations.columns.period')}</Table.Th>}
            <Table.Th>{t('habilitations.columns.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((h) => (
            <Table.Tr
              key={h.id}
              style={{ cursor: 'pointer' }}
              onClick={() => navigate(`/habilitations/${h.id}`)}
            >
              {!hideOrganisation && (
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/habilitations/${h.id}`}
                    fw={600}
                    size="sm"
                    onClick={(e) => e.stopPropagation()}
                  >
                    {h.organisationName}
                  </Anchor>
                </Table.Td>
              )}
              {!hideCertification && (
                <Table.Td>
                  {hideOrganisation ? (
                    <Anchor
                      component={Link}
                      to={`/habilitations/${h.id}`}
                      fw={600}
                      size="sm"
                      ff="monospace"
                      onClick={(e) => e.stopPropagation()}
                    >
                      {h.certificationCode}
                    </Anchor>
                  ) : (
                    <Text size="sm" ff="monospace" fw={500}>
                      {h.certificationCode}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {h.certificationTitle}
                  </Text>
                </Table.Td>
              )}
              <Table.Td fz="sm">{t(`habilitations.scope.${h.scope}`)}</Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {h.coversAllSkillBlocks
                  ? t('habilitations.allBlocks')
                  : t('habilitations.someBlocks', { count: h.skillBlocks.length })}
              </Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatPeriod(h.startsOn, h.endsOn, t, i18n.language)}
              </Table.Td>
              <Table.Td>
                <HabilitationStatusBadge status={h.status} />
              </Table.Td>
            </Table.Tr>
          ))}
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns}>
                <Text c="dimmed" ta="center" py="xl">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
