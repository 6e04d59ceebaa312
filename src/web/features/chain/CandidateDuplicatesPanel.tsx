import { Alert, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chainUploads, reports } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { ExportButton } from '../../components/ExportButton.js';
import { PageLoader } from '../../components/feedback.js';
import { Pager } from '../../components/Pager.js';
import { formatDate } from '../../i18n/format.js';
import { CandidateEditButton } from './CandidateModal.js';
import { ProblemAlert } from './parts.js';

const PAGE_SIZE = 20;

/**
 * Candidates declared by different partners (or applying alone) with the same normalised birth name, first
 * first name and birth date: likely one person declared twice, who could get two certificates and two
 * accrochage records. Certifier staff only (`GET /api/candidate-duplicates`); each candidate can be corrected
 * here when the identity was mistyped.
 */
export function CandidateDuplicatesPanel() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const query = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const list = useQuery({
    queryKey: ['candidate-duplicates', query],
    queryFn: () => call(chainUploads.listCandidateDuplicates, { query }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['candidate-duplicates'] });
  if (list.error) return <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />;
  if (list.isPending) return <PageLoader />;
  return (
    <Stack gap="md" data-testid="candidate-duplicates">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {t('chain.duplicates.help')}
        </Text>
        {/* Every group, not only this page's. */}
        <ExportButton path={reports.exportCandidateDuplicates.path} query={{}} />
      </Group>
      {list.data.items.length === 0 && (
        <Alert color="teal" variant="light">
          {t('chain.duplicates.none')}
        </Alert>
      )}
      {list.data.items.map((group) => (
        <Paper withBorder key={`${group.birthName}|${group.firstName}|${group.birthDate}`}>
          <Group gap="xs" p="sm">
            {/* The group's keys are normalised (no case, no accents): the first record names the person. */}
            <Text fw={600}>
              {group.candidates[0]?.firstNames.split(/\s+/)[0] ?? group.firstName}{' '}
              {(group.candidates[0]?.birthName ?? group.birthName).toUpperCase()}
            </Text>
            <Text size="sm" c="dimmed">
              {t('chain.duplicates.bornOn', { date: formatDate(group.birthDate, i18n.language) })}
            </Text>
            <Badge color="orange" variant="light" radius="sm">
              {t('chain.duplicates.count', { count: group.candidates.length })}
            </Badge>
          </Group>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('chain.candidate.name')}</Table.Th>
                <Table.Th>{t('chain.duplicates.declaredBy')}</Table.Th>
                <Table.Th>{t('chain.candidate.email')}</Table.Th>
                <Table.Th>{t('chain.duplicates.createdAt')}</Table.Th>
                <Table.Th w={100} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {group.candidates.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    {c.firstNames} {c.birthName.toUpperCase()}
                    {c.usageName ? ` (${c.usageName})` : ''}
                  </Table.Td>
                  <Table.Td>{c.organisationName ?? t('chain.duplicates.individual')}</Table.Td>
                  <Table.Td>{c.email ?? t('common.none')}</Table.Td>
                  <Table.Td>{formatDate(c.createdAt.slice(0, 10), i18n.language)}</Table.Td>
                  <Table.Td>
                    <CandidateEditButton candidateId={c.id} onSaved={refresh} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ))}
      {list.data.total > PAGE_SIZE && (
        <Pager total={list.data.total} limit={PAGE_SIZE} page={page} onPage={setPage} />
      )}
    </Stack>
  );
}
