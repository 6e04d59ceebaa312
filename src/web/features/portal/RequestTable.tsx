import { Anchor, Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type {
  RequestDisplayStatus,
  RequestView,
} from '../../../core/partner-requests/partner-request.schema.js';
import { formatDate } from '../../i18n/format.js';

const statusColors: Record<RequestDisplayStatus, string> = {
  open: 'blue',
  answered: 'violet',
  accepted: 'teal',
  reopened: 'orange',
  overdue: 'red',
};

export function RequestStatusBadge({ status }: { status: RequestDisplayStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColors[status]} variant="light" radius="sm" tt="none" fw={600}>
      {t(`portal.requests.status.${status}`)}
    </Badge>
  );
}

/** What a request is about: a habilitation, a convention or a finding of the partner. */
export function RequestSubject({ request: r }: { request: RequestView }) {
  const { t } = useTranslation();
  const parts: string[] = [];
  if (r.habilitationLabel) parts.push(t('portal.requests.aboutHabilitation', { code: r.habilitationLabel }));
  if (r.conventionReference)
    parts.push(t('portal.requests.aboutConvention', { reference: r.conventionReference }));
  if (r.findingTitle) parts.push(t('portal.requests.aboutFinding', { title: r.findingTitle }));
  if (parts.length === 0) return null;
  return (
    <Text size="xs" c="dimmed">
      {parts.join(' · ')}
    </Text>
  );
}

/** Requests with their due dates and statuses; each title opens the request. */
export function RequestTable({
  items,
  showOrganisation,
  emptyText,
}: {
  items: readonly RequestView[];
  showOrganisation: boolean;
  emptyText: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover aria-label={t('portal.requests.title')}>
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            <Table.Th>{t('portal.requests.columns.title')}</Table.Th>
            {showOrganisation && <Table.Th>{t('portal.requests.columns.organisation')}</Table.Th>}
            <Table.Th>{t('portal.requests.columns.kind')}</Table.Th>
            <Table.Th>{t('portal.requests.columns.dueOn')}</Table.Th>
            <Table.Th>{t('portal.requests.columns.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Anchor component={Link} to={`/requests/${r.id}`} fw={600} size="sm">
                  {r.title}
                </Anchor>
                <RequestSubject request={r} />
              </Table.Td>
              {showOrganisation && <Table.Td fz="sm">{r.organisationName}</Table.Td>}
              <Table.Td fz="sm">{t(`portal.requests.kinds.${r.kind}`)}</Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatDate(r.dueOn, i18n.language)}
              </Table.Td>
              <Table.Td>
                <RequestStatusBadge status={r.displayStatus} />
              </Table.Td>
            </Table.Tr>
          ))}
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={showOrganisation ? 5 : 4}>
                <Text c="dimmed" ta="center" py="lg">
                  {emptyText}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
