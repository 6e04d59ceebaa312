import { Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { TrainingSessionDetail } from '../../../core/chain/training-session.schema.js';
import { fillPath } from '../../../core/contracts/contract.js';
import { reports, trainingSessions } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate, formatNumber } from '../../i18n/format.js';
import { InfoItem } from '../network/parts.js';
import { OrganisationName } from '../organisations/OrganisationName.js';
import { CandidateEditButton, CandidateModal } from './CandidateModal.js';
import { CertificationCode, ProblemAlert, personName } from './parts.js';

/** One training session: what was declared, the skill blocks prepared, the candidates enrolled. */
export function TrainingSessionDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { can, session } = useSession();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const detail = useQuery({
    queryKey: ['training-sessions', 'one', id],
    queryFn: () => call(trainingSessions.getTrainingSession, { params: { id } }),
  });
  const saved = (s: TrainingSessionDetail) => {
    queryClient.setQueryData(['training-sessions', 'one', id], s);
    void queryClient.invalidateQueries({ queryKey: ['training-sessions', 'list'] });
  };
  const enrol = useMutation({
    mutationFn: (candidateId: string) =>
      call(trainingSessions.enrolCandidates, { params: { id }, body: { candidateIds: [candidateId] } }),
    onSuccess: (s) => {
      saved(s);
      notifications.show({ color: 'teal', message: t('chain.training.enrolledOne') });
    },
  });
  const unenrol = useMutation({
    mutationFn: (candidateId: string) =>
      call(trainingSessions.unenrolCandidate, { params: { id, candidateId } }),
    onSuccess: saved,
  });

  if (detail.isPending) return <PageLoader />;
  if (detail.error) return <ProblemAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const s = detail.data;
  const mayDeclare = can('chain.declare');
  return (
    <>
      <PageHeader
        title={s.reference ?? t('chain.training.noReference')}
        subtitle={t('chain.period', {
          start: formatDate(s.startsOn, i18n.language),
          end: formatDate(s.endsOn, i18n.language),
        })}
        back={{ to: '/sessions', label: t('chain.sessions.title') }}
        badges={
          <Badge variant="light" radius="sm">
            {t(`chain.modality.${s.modality}`)}
          </Badge>
        }
        actions={
          mayDeclare && (
            <Button component={Link} to={`/sessions/training/${id}/edit`} variant="default">
              {t('common.edit')}
            </Button>
          )
        }
      />
      <Paper withBorder p="lg" mb="lg">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          {session?.user.role !== 'partner' && (
            <InfoItem label={t('chain.training.partner')}>
              <OrganisationName id={s.organisationId} />
            </InfoItem>
          )}
          <InfoItem label={t('chain.training.certification')}>
            <CertificationCode id={s.certificationId} />
          </InfoItem>
          <InfoItem label={t('chain.training.hours')}>
            {s.hours === null ? null : formatNumber(s.hours, i18n.language)}
          </InfoItem>
          <InfoItem label={t('chain.training.site')}>{s.site}</InfoItem>
          <InfoItem label={t('chain.training.trainers')}>{s.trainers.join(', ')}</InfoItem>
          <InfoItem label={t('chain.training.funding')}>
            {s.funding ? t(`chain.funding.${s.funding}`) : null}
          </InfoItem>
        </SimpleGrid>
        <Stack gap={4} mt="lg">
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            {t('chain.training.blocks')}
          </Text>
          {s.skillBlocks.length === 0 ? (
            <Text size="sm">{t('chain.training.wholeCertification')}</Text>
          ) : (
            s.skillBlocks.map((b) => (
              <Text size="sm" key={b.id}>
                <Text span ff="monospace">
                  {b.code}
                </Text>{' '}
                — {b.title}
              </Text>
            ))
          )}
        </Stack>
      </Paper>

      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('chain.training.candidatesTitle', { count: s.enrolments.length })}</Title>
        <Group gap="xs">
          <ExportButton path={fillPath(reports.exportTrainingSessionEnrolments.path, { id })} query={{}} />
          {mayDeclare && (
            <Button leftSection={<IconPlus size={16} />} variant="light" onClick={() => setAdding(true)}>
              {t('chain.training.addCandidate')}
            </Button>
          )}
        </Group>
      </Group>
      {(enrol.error || unenrol.error) && <ProblemAlert error={enrol.error ?? unenrol.error} />}
      <Paper withBorder style={{ overflow: 'hidden' }}>
        <Table striped data-testid="enrolments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('chain.candidate.name')}</Table.Th>
              <Table.Th>{t('chain.training.enrolledOn')}</Table.Th>
              {mayDeclare && <Table.Th w={200} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.enrolments.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={3}>
                  <Text c="dimmed" ta="center" py="md">
                    {t('chain.training.noCandidates')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {s.enrolments.map((e) => (
              <Table.Tr key={e.candidateId}>
                <Table.Td>{personName(e)}</Table.Td>
                <Table.Td>{formatDate(e.enrolledOn, i18n.language) || t('common.none')}</Table.Td>
                {mayDeclare && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <CandidateEditButton
                        candidateId={e.candidateId}
                        onSaved={() =>
                          void queryClient.invalidateQueries({ queryKey: ['training-sessions', 'one', id] })
                        }
                      />
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        loading={unenrol.isPending && unenrol.variables === e.candidateId}
                        onClick={() => unenrol.mutate(e.candidateId)}
                      >
                        {t('chain.training.unenrol')}
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <CandidateModal
        opened={adding}
        onClose={() => setAdding(false)}
        organisationId={s.organisationId}
        onSaved={(candidate) => enrol.mutate(candidate.id)}
      />
    </>
  );
}
