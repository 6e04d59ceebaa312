import { Anchor, Badge, Button, Group, Paper, Select, Table, Tabs, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { assessmentSessionStatuses } from '../../../core/chain/assessment.schema.js';
import { assessments, reports, trainingSessions } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDate, formatDateTime } from '../../i18n/format.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { DateField } from '../network/parts.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { OrganisationName } from '../organisations/OrganisationName.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { CandidateDuplicatesPanel } from './CandidateDuplicatesPanel.js';
import { AssessmentStatusBadge } from './labels.js';
import { CertificationCode, ProblemAlert } from './parts.js';

const PAGE_SIZE = 25;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const uuidLike = /^[0-9a-f-]{36}$/i;
const tabs = ['training', 'assessment', 'duplicates'] as const;

function TrainingSessionList() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const isPartner = session?.user.role === 'partner';
  const { params, update, page } = useUrlFilters();
  const certificationId = uuidLike.test(params.get('certification') ?? '')
    ? params.get('certification')
    : null;
  const organisationId = uuidLike.test(params.get('organisation') ?? '') ? params.get('organisation') : null;
  const from = isoDay.test(params.get('from') ?? '') ? params.get('from') : null;
  const query = {
    certificationId: certificationId ?? undefined,
    organisationId: organisationId ?? undefined,
    from: from ?? undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: ['training-sessions', 'list', query],
    queryFn: () => call(trainingSessions.listTrainingSessions, { query }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <Paper withBorder p="md" mb="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <CertificationPicker
            label={t('chain.filters.certification')}
            placeholder={t('chain.filters.allCertifications')}
            value={certificationId}
            onChange={(id) => update({ certification: id })}
          />
          {!isPartner && (
            <OrganisationPicker
              label={t('chain.filters.partner')}
              placeholder={t('chain.filters.allPartners')}
              value={organisationId}
              onChange={(id) => update({ organisation: id })}
            />
          )}
          <div style={{ width: 190 }}>
            <DateField
              label={t('chain.filters.runningFrom')}
              value={from}
              onChange={(v) => update({ from: v })}
              clearable
            />
          </div>
          <div style={{ marginLeft: 'auto' }}>
            <ExportButton path={reports.exportTrainingSessions.path} query={query} />
          </div>
        </Group>
      </Paper>
      {list.error && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table striped highlightOnHover data-testid="training-sessions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('chain.training.reference')}</Table.Th>
                {!isPartner && <Table.Th>{t('chain.training.partner')}</Table.Th>}
                <Table.Th>{t('chain.training.certification')}</Table.Th>
                <Table.Th>{t('chain.training.period')}</Table.Th>
                <Table.Th>{t('chain.training.modality')}</Table.Th>
                <Table.Th ta="right">{t('chain.training.enrolled')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" ta="center" py="md">
                      {t('chain.training.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.data.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/sessions/training/${s.id}`} fw={500}>
                      {s.reference ?? t('chain.training.noReference')}
                    </Anchor>
                  </Table.Td>
                  {!isPartner && (
                    <Table.Td>
                      <OrganisationName id={s.organisationId} />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <CertificationCode id={s.certificationId} />
                  </Table.Td>
                  <Table.Td>
                    {t('chain.period', {
                      start: formatDate(s.startsOn, i18n.language),
                      end: formatDate(s.endsOn, i18n.language),
                    })}
                  </Table.Td>
                  <Table.Td>{t(`chain.modality.${s.modality}`)}</Table.Td>
                  <Table.Td ta="right">{s.enrolmentCount}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Pager
            total={list.data.total}
            limit={PAGE_SIZE}
            page={page}
            onPage={(p) => update({ page: p > 1 ? String(p) : null }, false)}
          />
        </Paper>
      )}
    </>
  );
}

function AssessmentSessionList() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const showOrganiser = session?.user.role !== 'partner';
  const { params, update, page } = useUrlFilters();
  const certificationId = uuidLike.test(params.get('certification') ?? '')
    ? params.get('certification')
    : null;
  const status = oneOf(assessmentSessionStatuses, params.get('status'));
  const from = isoDay.test(params.get('from') ?? '') ? params.get('from') : null;
  const query = {
    certificationId: certificationId ?? undefined,
    status,
    from: from ?? undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: ['assessment-sessions', 'list', query],
    queryFn: () => call(assessments.listAssessmentSessions, { query }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <Paper withBorder p="md" mb="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <CertificationPicker
            label={t('chain.filters.certification')}
            placeholder={t('chain.filters.allCertifications')}
            value={certificationId}
            onChange={(id) => update({ certification: id })}
          />
          <Select
            label={t('chain.filters.status')}
            placeholder={t('chain.filters.allStatuses')}
            data={assessmentSessionStatuses.map((s) => ({
              value: s,
              label: t(`chain.assessmentStatus.${s}`),
            }))}
            value={status ?? null}
            onChange={(v) => update({ status: v })}
            clearable
            w={200}
          />
          <div style={{ width: 190 }}>
            <DateField
              label={t('chain.filters.from')}
              value={from}
              onChange={(v) => update({ from: v })}
              clearable
            />
          </div>
          <div style={{ marginLeft: 'auto' }}>
            <ExportButton path={reports.exportAssessmentSessions.path} query={query} />
          </div>
        </Group>
      </Paper>
      {list.error && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table striped highlightOnHover data-testid="assessment-sessions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('chain.assessment.startsAt')}</Table.Th>
                <Table.Th>{t('chain.assessment.certification')}</Table.Th>
                {showOrganiser && <Table.Th>{t('chain.assessment.organiser')}</Table.Th>}
                <Table.Th>{t('chain.assessment.place')}</Table.Th>
                <Table.Th>{t('chain.assessment.status')}</Table.Th>
                <Table.Th ta="right">{t('chain.assessment.candidates')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" ta="center" py="md">
                      {t('chain.assessment.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.data.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/sessions/assessments/${s.id}`} fw={500}>
                      {formatDateTime(s.startsAt, i18n.language)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <CertificationCode id={s.certificationId} />
                  </Table.Td>
                  {showOrganiser && (
                    <Table.Td>
                      {s.organiserId ? (
                        <OrganisationName id={s.organiserId} />
                      ) : (
                        <Badge variant="light" color="indigo" radius="sm">
                          {t('chain.assessment.byCertifier')}
                        </Badge>
                      )}
                    </Table.Td>
                  )}
                  <Table.Td>{s.place ?? t('common.none')}</Table.Td>
                  <Table.Td>
                    <AssessmentStatusBadge status={s.status} />
                  </Table.Td>
                  <Table.Td ta="right">{s.candidateCount}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Pager
            total={list.data.total}
            limit={PAGE_SIZE}
            page={page}
            onPage={(p) => update({ page: p > 1 ? String(p) : null }, false)}
          />
        </Paper>
      )}
    </>
  );
}

/**
 * Training and assessment sessions, in two tabs. A partner sees its own (the portal); an evaluator only the
 * assessment sessions it evaluates.
 */
export function SessionsPage() {
  const { t } = useTranslation();
  const { can, session } = useSession();
  const isEvaluator = session?.user.role === 'evaluator';
  const { params, setTab } = useTab();
  // Possible duplicates compare partners' data: certifier staff only (partners and evaluators lack jury.read).
  const mayCompare = can('jury.read');
  const asked = oneOf(tabs, params.get('tab')) ?? 'training';
  const tab = isEvaluator ? 'assessment' : asked === 'duplicates' && !mayCompare ? 'training' : asked;
  return (
    <>
      <PageHeader
        title={t('chain.sessions.title')}
        subtitle={
          session?.user.role === 'partner'
            ? t('chain.sessions.partnerSubtitle')
            : isEvaluator
              ? t('chain.sessions.evaluatorSubtitle')
              : t('chain.sessions.subtitle')
        }
        actions={
          can('chain.declare') && (
            <Group>
              <Button component={Link} to="/sessions/upload" variant="default">
                {t('chain.sessions.upload')}
              </Button>
              {tab === 'training' && (
                <Button component={Link} to="/sessions/training/new" leftSection={<IconPlus size={16} />}>
                  {t('chain.sessions.declareTraining')}
                </Button>
              )}
              {tab === 'assessment' && (
                <Button component={Link} to="/sessions/assessments/new" leftSection={<IconPlus size={16} />}>
                  {t('chain.sessions.declareAssessment')}
                </Button>
              )}
            </Group>
          )
        }
      />
      <Tabs value={tab} onChange={(v) => setTab(v)} mb="md" keepMounted={false}>
        <Tabs.List>
          {!isEvaluator && <Tabs.Tab value="training">{t('chain.sessions.trainingTab')}</Tabs.Tab>}
          <Tabs.Tab value="assessment">{t('chain.sessions.assessmentTab')}</Tabs.Tab>
          {mayCompare && <Tabs.Tab value="duplicates">{t('chain.sessions.duplicatesTab')}</Tabs.Tab>}
        </Tabs.List>
        {!isEvaluator && (
          <Tabs.Panel value="training" pt="md">
            <TrainingSessionList />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="assessment" pt="md">
          <AssessmentSessionList />
        </Tabs.Panel>
        {mayCompare && (
          <Tabs.Panel value="duplicates" pt="md">
            <CandidateDuplicatesPanel />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

/** The tab in the address; changing tab drops the other tab's filters. */
function useTab() {
  const { params, update } = useUrlFilters();
  const setTab = (value: string | null) =>
    update({ tab: value, certification: null, organisation: null, status: null, from: null });
  return { params, setTab };
}
