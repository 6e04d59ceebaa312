import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { certifications, reports } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { IconCheck } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { saveBlob } from '../chain/chain-api.js';
import { ProblemAlert } from '../chain/parts.js';
import { DateField } from '../network/parts.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { dossierUrl, fetchFile, networkOverviewUrl, scorecardUrl, statisticsXlsxUrl } from './reports-api.js';

function useCertificationOptions() {
  const list = useQuery({
    queryKey: ['certifications', 'reports'],
    queryFn: () => call(certifications.listCertifications, { query: { limit: 200 } }),
  });
  return (list.data?.items ?? []).map((c) => ({ value: c.code, label: `${c.code} — ${c.title}` }));
}

/** Why a dossier could not be made, in words for the two cases a user meets: nothing recorded, unknown partner. */
function DossierProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (isApiError(error) && error.code === 'not_found') {
    const details = error.details ?? {};
    if (details.reason === 'empty_period')
      return (
        <Alert color="orange" role="alert">
          {t('reports.dossier.emptyPeriod')}
        </Alert>
      );
    if (details.entity === 'organisation')
      return (
        <Alert color="orange" role="alert">
          {t('reports.dossier.unknownPartner')}
        </Alert>
      );
  }
  return <ProblemAlert error={error} />;
}

/** The evidence dossier: certification, period, optional partner; ZIP or PDF alone. */
function DossierCard() {
  const { t } = useTranslation();
  const options = useCertificationOptions();
  const [certification, setCertification] = useState<string | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [partner, setPartner] = useState('');
  const [missing, setMissing] = useState(false);
  const download = useMutation({
    mutationFn: async (format: 'zip' | 'pdf') => {
      const form = {
        certification: certification ?? '',
        from: from ?? undefined,
        to: to ?? undefined,
        partner: partner.trim() || undefined,
      };
      const file = await fetchFile(dossierUrl(form, format), `dossier.${format}`);
      saveBlob(file.blob, file.fileName);
      return file.fileName;
    },
    onSuccess: (file) =>
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={16} />,
        message: t('reports.dossier.ready', { file }),
      }),
  });
  const start = (format: 'zip' | 'pdf') => {
    if (!certification) {
      setMissing(true);
      return;
    }
    download.mutate(format);
  };
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={3}>{t('reports.dossier.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('reports.dossier.lead')}
        </Text>
        <Select
          label={t('reports.certification')}
          placeholder={t('reports.certificationPlaceholder')}
          data={options}
          value={certification}
          onChange={(v) => {
            setCertification(v);
            setMissing(false);
          }}
          searchable
          required
          error={missing ? t('reports.dossier.required') : undefined}
          data-testid="dossier-certification"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DateField label={t('reports.from')} value={from} onChange={setFrom} clearable />
          <DateField label={t('reports.to')} value={to} onChange={setTo} clearable />
        </SimpleGrid>
        <TextInput
          label={t('reports.dossier.partner')}
          description={t('reports.dossier.partnerHint')}
          value={partner}
          onChange={(e) => setPartner(e.currentTarget.value)}
          maxLength={20}
        />
        {download.error && <DossierProblem error={download.error} />}
        <Group>
          <Button onClick={() => start('zip')} loading={download.isPending && download.variables === 'zip'}>
            {t('reports.dossier.zip')}
          </Button>
          <Button
            variant="default"
            onClick={() => start('pdf')}
            loading={download.isPending && download.variables === 'pdf'}
          >
            {t('reports.dossier.pdf')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('reports.dossier.verifyHint')}
        </Text>
      </Stack>
    </Paper>
  );
}

const percent = (value: number | null, language: string) =>
  value === null
    ? '—'
    : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(value);

/** Statistics per certification and year, with the renewal workbook. */
function StatisticsCard() {
  const { t, i18n } = useTranslation();
  const options = useCertificationOptions();
  const [certification, setCertification] = useState<string | null>(null);
  const [fromYear, setFromYear] = useState<number | string>('');
  const [toYear, setToYear] = useState<number | string>('');
  const query = {
    ...(certification ? { certification } : {}),
    ...(fromYear !== '' ? { fromYear: String(fromYear) } : {}),
    ...(toYear !== '' ? { toYear: String(toYear) } : {}),
  };
  const stats = useQuery({
    queryKey: ['reports', 'statistics', query],
    queryFn: () => call(reports.getStatistics, { query }),
  });
  const exportXlsx = useMutation({
    mutationFn: async () => {
      const file = await fetchFile(statisticsXlsxUrl(query), 'statistiques.xlsx');
      saveBlob(file.blob, file.fileName);
    },
  });
  const lines = stats.data?.byYear ?? [];
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={3}>{t('reports.statistics.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('reports.statistics.lead')}
        </Text>
        <Group align="end">
          <Select
            label={t('reports.certification')}
            placeholder={t('reports.allCertifications')}
            data={options}
            value={certification}
            onChange={setCertification}
            searchable
            clearable
            w={320}
          />
          <NumberInput
            label={t('reports.statistics.fromYear')}
            value={fromYear}
            onChange={setFromYear}
            min={2000}
            max={2100}
            w={130}
          />
          <NumberInput
            label={t('reports.statistics.toYear')}
            value={toYear}
            onChange={setToYear}
            min={2000}
            max={2100}
            w={130}
          />
          <Button variant="default" onClick={() => exportXlsx.mutate()} loading={exportXlsx.isPending}>
            {t('reports.statistics.xlsx')}
          </Button>
        </Group>
        {stats.error && <ProblemAlert error={stats.error} />}
        {exportXlsx.error && <ProblemAlert error={exportXlsx.error} />}
        {stats.data && lines.length === 0 && <Alert color="gray">{t('reports.statistics.empty')}</Alert>}
        {lines.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover data-testid="statistics-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.statistics.columns.year')}</Table.Th>
                  <Table.Th>{t('reports.statistics.columns.certification')}</Table.Th>
                  <Table.Th ta="right">{t('reports.statistics.columns.candidates')}</Table.Th>
                  <Table.Th ta="right">{t('reports.statistics.columns.presented')}</Table.Th>
                  <Table.Th ta="right">{t('reports.statistics.columns.deliberated')}</Table.Th>
                  <Table.Th ta="right">{t('reports.statistics.columns.certifiedFull')}</Table.Th>
                  <Table.Th ta="right">{t('reports.statistics.columns.certifiedByBlocks')}</Table.Th>
                  <Table.Th ta="right">{t('reports.statistics.columns.vae')}</Table.Th>
                  <Table.Th ta="right">{t('reports.statistics.columns.successRate')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lines.map((l) => (
                  <Table.Tr key={`${l.year}-${l.certificationCode}`}>
                    <Table.Td>{l.year}</Table.Td>
                    <Table.Td>{l.certificationCode}</Table.Td>
                    <Table.Td ta="right">{l.candidates}</Table.Td>
                    <Table.Td ta="right">{l.presented}</Table.Td>
                    <Table.Td ta="right">{l.deliberated}</Table.Td>
                    <Table.Td ta="right">{l.certifiedFull}</Table.Td>
                    <Table.Td ta="right">{l.certifiedByBlocks}</Table.Td>
                    <Table.Td ta="right">{l.certifiedVae}</Table.Td>
                    <Table.Td ta="right">{percent(l.successRate, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

/** The network overview (PDF, XLSX) and one partner's scorecard. */
function NetworkCard() {
  const { t } = useTranslation();
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const download = useMutation({
    mutationFn: async (url: string) => {
      const file = await fetchFile(url, 'rapport.pdf');
      saveBlob(file.blob, file.fileName);
    },
  });
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={3}>{t('reports.network.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('reports.network.lead')}
        </Text>
        <Group>
          <Button variant="default" onClick={() => download.mutate(networkOverviewUrl('pdf'))}>
            {t('reports.network.overviewPdf')}
          </Button>
          <Button variant="default" onClick={() => download.mutate(networkOverviewUrl('xlsx'))}>
            {t('reports.network.overviewXlsx')}
          </Button>
        </Group>
        <Group align="end">
          <OrganisationPicker
            label={t('reports.network.partner')}
            value={organisationId}
            onChange={setOrganisationId}
          />
          <Button
            variant="default"
            disabled={!organisationId}
            onClick={() => organisationId && download.mutate(scorecardUrl(organisationId))}
          >
            {t('reports.network.scorecard')}
          </Button>
        </Group>
        {download.error && <ProblemAlert error={download.error} />}
      </Stack>
    </Paper>
  );
}

/** Insertion survey campaigns: start one for a cohort, follow the answers and the two rates. */
function SurveysCard() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const options = useCertificationOptions();
  const [certification, setCertification] = useState<string | null>(null);
  const [horizon, setHorizon] = useState<'6_months' | '2_years'>('6_months');
  const [cohortYear, setCohortYear] = useState<number | string>(new Date().getFullYear() - 1);
  const [closesOn, setClosesOn] = useState<string | null>(null);
  const [international, setInternational] = useState(false);
  const surveys = useQuery({
    queryKey: ['reports', 'surveys'],
    queryFn: () => call(reports.listInsertionSurveys, { query: {} }),
  });
  const start = useMutation({
    mutationFn: () =>
      call(reports.createInsertionSurvey, {
        body: {
          certification: certification ?? '',
          horizon,
          cohortYear: Number(cohortYear),
          closesOn: closesOn ?? '',
          internationalOccupation: international,
        },
      }),
    onSuccess: (survey) => {
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={16} />,
        message: t('reports.surveys.started', { count: survey.rates.invited }),
      });
      void queryClient.invalidateQueries({ queryKey: ['reports', 'surveys'] });
    },
  });
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={3}>{t('reports.surveys.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('reports.surveys.lead')}
        </Text>
        {can('certificate.manage') && (
          <Group align="end">
            <Select
              label={t('reports.certification')}
              data={options}
              value={certification}
              onChange={setCertification}
              searchable
              w={300}
            />
            <Select
              label={t('reports.surveys.horizon')}
              data={[
                { value: '6_months', label: t('reports.surveys.horizons.6_months') },
                { value: '2_years', label: t('reports.surveys.horizons.2_years') },
              ]}
              value={horizon}
              onChange={(v) => setHorizon((v as '6_months' | '2_years') ?? '6_months')}
              w={120}
            />
            <NumberInput
              label={t('reports.surveys.cohortYear')}
              value={cohortYear}
              onChange={setCohortYear}
              min={2000}
              max={2100}
              w={200}
            />
            <DateField label={t('reports.surveys.closesOn')} value={closesOn} onChange={setClosesOn} />
            <Checkbox
              label={t('reports.surveys.international')}
              description={t('reports.surveys.internationalHelp')}
              checked={international}
              onChange={(e) => setInternational(e.currentTarget.checked)}
              maw={280}
            />
            <Button
              onClick={() => start.mutate()}
              loading={start.isPending}
              disabled={!certification || !closesOn}
            >
              {t('reports.surveys.start')}
            </Button>
          </Group>
        )}
        {start.error && <ProblemAlert error={start.error} />}
        {surveys.error && <ProblemAlert error={surveys.error} />}
        {surveys.data && surveys.data.length === 0 && (
          <Alert color="gray">{t('reports.surveys.empty')}</Alert>
        )}
        {surveys.data && surveys.data.length > 0 && (
          <Table striped data-testid="surveys-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.surveys.columns.certification')}</Table.Th>
                <Table.Th>{t('reports.surveys.columns.horizon')}</Table.Th>
                <Table.Th>{t('reports.surveys.columns.cohort')}</Table.Th>
                <Table.Th ta="right">{t('reports.surveys.columns.invited')}</Table.Th>
                <Table.Th ta="right">{t('reports.surveys.columns.responses')}</Table.Th>
                <Table.Th ta="right">{t('reports.surveys.columns.target')}</Table.Th>
                <Table.Th ta="right">{t('reports.surveys.columns.global')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {surveys.data.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.certificationCode}</Table.Td>
                  <Table.Td>{t(`reports.surveys.horizons.${s.horizon}`)}</Table.Td>
                  <Table.Td>{s.cohortYear}</Table.Td>
                  <Table.Td ta="right">{s.rates.invited}</Table.Td>
                  <Table.Td ta="right">
                    {s.rates.respondents} ({percent(s.rates.responseRate, i18n.language)})
                  </Table.Td>
                  <Table.Td ta="right">{percent(s.rates.targetRate, i18n.language)}</Table.Td>
                  <Table.Td ta="right">{percent(s.rates.globalRate, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

/** The reports area: the evidence dossier, the network reports and the statistics. */
export function ReportsPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <PageHeader title={t('reports.title')} subtitle={t('reports.subtitle')} />
      <DossierCard />
      <NetworkCard />
      <StatisticsCard />
      <SurveysCard />
    </Stack>
  );
}
