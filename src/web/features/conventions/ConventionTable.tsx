import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { ConventionView } from '../../../core/conventions/convention.schema.js';
import { formatDate } from '../../i18n/format.js';
import { ConventionStatusBadge, formatPeriod } from '../network/parts.js';

/** Conventions as rows: reference and version, partner, certifications, period, signature, status. */
export function ConventionTable({
  items,
  hideOrganisation,
  empty,
}: {
  items: readonly ConventionView[];
  hideOrganisation?: boolean;
  empty: string;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover aria-label={t('conventions.title')}>
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            <Table.Th>{t('conventions.columns.reference')}</Table.Th>
            {!hideOrganisation && <Table.Th>{t('conventions.columns.organisation')}</Table.Th>}
            <Table.Th>{t('conventions.columns.certifications')}</Table.Th>
            <Table.Th>{t('conventions.columns.period')}</Table.Th>
            <Table.Th>{t('conventions.columns.signedOn')}</Table.Th>
            <Table.Th>{t('conventions.columns.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr
              key={c.id}
              style={{ cursor: 'pointer' }}
              onClick={() => navigate(`/conventions/${c.id}`)}
            >
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Anchor
                  component={Link}
                  to={`/conventions/${c.id}`}
                  fw={600}
                  size="sm"
                  onClick={(e) => e.stopPropagation()}
                >
                  {c.reference}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t('conventions.version', { version: c.version })}
                </Text>
              </Table.Td>
              {!hideOrganisation && <Table.Td fz="sm">{c.organisationName}</Table.Td>}
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {c.certifications.map((x) => x.code).join(', ')}
                </Text>
              </Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatPeriod(c.startsOn, c.endsOn, t, i18n.language)}
              </Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {c.signedOn ? (
                  formatDate(c.signedOn, i18n.language)
                ) : (
                  <Text span c="dimmed">
                    {t('common.none')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <ConventionStatusBadge status={c.status} />
              </Table.Td>
            </Table.Tr>
          ))}
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={hideOrganisation ? 5 : 6}>
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
