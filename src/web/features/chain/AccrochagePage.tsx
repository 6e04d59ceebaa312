import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  type AccrochageDeadlineState,
  type AccrochageReportImport,
  accrochageDeadlineStates,
} from '../../../core/contracts/accrochage.js';
import { accrochage, certifierSettings, reports } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { useSession, useSignedIn } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { PageLoader } from '../../components/feedback.js';
import { IconAlert, IconCheck } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate } from '../../i18n/format.js';
import type { fr } from '../../i18n/fr.js';
import { DateField } from '../network/parts.js';
import { exportAccrochageFlux, saveBlob, uploadAccrochageReport } from './chain-api.js';
import { AccrochageStatusBadge, ProblemAlert } from './parts.js';

const stateColors: Record<AccrochageDeadlineState, string> = { late: 'red', due_soon: 'orange', ok: 'teal' };

/** The CDC identifiers the flux carries, from the certifier settings. */
function SettingsCard() {
  const { t } = useTranslation();
  const { can } = useSession();
  const settings = useQuery({
    queryKey: ['settings', 'certifier'],
    queryFn: () => call(certifierSettings.getCertifierSettings),
  });
  if (!settings.data) return settings.error ? <ProblemAlert error={settings.error} /> : null;
  const s = settings.data;
  const missing = !s.cdcClientId || !s.cdcContractId;
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Text fw={600}>{t('chain.accrochage.issuerTitle')}</Text>
          <Text size="sm">
            {t('chain.accrochage.clientId')} : <b>{s.cdcClientId ?? t('chain.accrochage.notSet')}</b> ·{' '}
            {t('chain.accrochage.contractId')} : <b>{s.cdcContractId ?? t('chain.accrochage.notSet')}</b>
            {s.cdcDepositorClientId && (
              <>
                {' '}
                · {t('chain.accrochage.depositor')} : <b>{s.cdcDepositorClientId}</b>
              </>
            )}
          </Text>
        </Stack>
        {can('certifier.manage') && (
          <Button component={Link} to="/admin/settings" variant="default" size="xs">
            {t('chain.accrochage.editSettings')}
          </Button>
        )}
      </Group>
      {missing && (
        <Alert color="orange" variant="light" mt="sm" icon={<IconAlert />}>
          {can('certifier.manage')
            ? t('chain.accrochage.missingAdmin')
            : t('chain.accrochage.missingAskAdmin')}
        </Alert>
      )}
    </Paper>
  );
}

/** What the next export would write, the holders left out and why, and the export itself. */
function ExportPanel() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [certificationCode, setCertificationCode] = useState('');
  const [since, setSince] = useState<string | null>(null);
  const filter = {
    certificationCode: certificationCode.trim() || undefined,
    since: since ?? undefined,
  };
  const preview = useQuery({
    queryKey: ['accrochage', 'preview', filter],
    queryFn: () => call(accrochage.previewAccrochage, { query: filter }),
  });
  const exported = useMutation({
    mutationFn: () => exportAccrochageFlux(filter, session.csrfToken),
    onSuccess: (flux) => {
      saveBlob(flux.blob, flux.fileName);
      notifications.show({
        color: 'teal',
        message: t('chain.accrochage.exported', { count: flux.holders, file: flux.fileName }),
      });
      void queryClient.invalidateQueries({ queryKey: ['accrochage'] });
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
      void queryClient.invalidateQueries({ queryKey: ['juries', 'candidates'] });
    },
  });
  const p = preview.data;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>{t('chain.accrochage.exportTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('chain.accrochage.exportHelp')}
        </Text>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('chain.accrochage.certificationCode')}
            placeholder="RNCP37674"
            value={certificationCode}
            onChange={(e) => setCertificationCode(e.currentTarget.value)}
            w={200}
          />
          <div style={{ width: 190 }}>
            <DateField label={t('chain.accrochage.since')} value={since} onChange={setSince} clearable />
          </div>
          <Button
            onClick={() => exported.mutate()}
            loading={exported.isPending}
            disabled={!p || p.holders === 0 || p.missingSettings.length > 0}
            data-testid="accrochage-export"
          >
            {t('chain.accrochage.export', { count: p?.holders ?? 0 })}
          </Button>
        </Group>
        {exported.error && <ProblemAlert error={exported.error} />}
        {preview.error && <ProblemAlert error={preview.error} onRetry={() => void preview.refetch()} />}
        {preview.isPending && <PageLoader />}
        {p && (
          <>
            <Alert
              color={p.holders > 0 ? 'blue' : 'gray'}
              variant="light"
              icon={p.holders > 0 ? <IconCheck /> : undefined}
              data-testid="accrochage-ready"
            >
              {p.holders > 0
                ? t('chain.accrochage.ready', {
                    count: p.holders,
                    detail: p.certifications.map((c) => `${c.code} : ${c.passages}`).join(', '),
                  })
                : t('chain.accrochage.nothingReady')}
              {p.full && <Text size="sm">{t('chain.accrochage.full')}</Text>}
            </Alert>
            {p.leftOut.length > 0 && (
              <Stack gap={4}>
                <Text fw={600} size="sm" c="red">
                  {t('chain.accrochage.leftOut', { count: p.leftOut.length })}
                </Text>
                <Table withTableBorder striped data-testid="accrochage-left-out">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('chain.accrochage.holder')}</Table.Th>
                      <Table.Th>{t('chain.certificate.number')}</Table.Th>
                      <Table.Th>{t('chain.accrochage.reasons')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {p.leftOut.map((l) => (
                      <Table.Tr key={l.certificateId ?? l.holder}>
                        <Table.Td>{l.holder}</Table.Td>
                        <Table.Td ff="monospace">{l.certificate ?? t('common.none')}</Table.Td>
                        <Table.Td>
                          <Stack gap={2}>
                            {l.reasons.length > 0
                              ? l.reasons.map((r) => (
                                  <Text size="sm" key={r.field}>
                                    <Text span fw={500}>
                                      {fieldLabel(r, t)}
                                    </Text>{' '}
                                    :{' '}
                                    {r.message.startsWith('missing')
                                      ? t('chain.accrochage.missing')
                                      : r.message}
                                  </Text>
                                ))
                              : l.messages.map((m) => (
                                  <Text size="sm" key={m}>
                                    {m}
                                  </Text>
                                ))}
                          </Stack>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** The fields of a holder record the UI names in its language; any other keeps the exporter's label. */
const fieldLabels: Record<string, keyof typeof fr.chain.accrochage.field> = {
  'holder.birthName': 'birthName',
  'holder.usageName': 'usageName',
  'holder.firstNames': 'firstNames',
  'holder.sex': 'sex',
  'holder.birthDate': 'birthDate',
  'holder.birthPlaceCode': 'birthPlace',
  'holder.birthCountryCode': 'birthCountry',
  certificationCode: 'certificationCode',
  accessRoute: 'accessRoute',
  awardedOn: 'awardedOn',
};

function fieldLabel(reason: { field: string; label: string }, t: TFunction<'translation'>): string {
  const key = fieldLabels[reason.field];
  return key ? t(`chain.accrochage.field.${key}`) : reason.label;
}

/** The CDC's processing report (accusé de traitement): each certificate set accepted or rejected. */
function ReportPanel() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<AccrochageReportImport | null>(null);
  const upload = useMutation({
    mutationFn: () => uploadAccrochageReport(file as File, session.csrfToken),
    onSuccess: (r) => {
      setResult(r);
      void queryClient.invalidateQueries({ queryKey: ['accrochage'] });
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
    },
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>{t('chain.accrochage.reportTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('chain.accrochage.reportHelp')}
        </Text>
        <Group align="flex-end">
          <FileInput
            label={t('chain.accrochage.reportFile')}
            placeholder={t('chain.upload.choose')}
            accept=".xml,application/xml,text/xml"
            value={file}
            onChange={(f) => {
              setFile(f);
              setResult(null);
            }}
            clearable
            w={360}
          />
          <Button onClick={() => upload.mutate()} disabled={!file} loading={upload.isPending}>
            {t('chain.accrochage.readReport')}
          </Button>
        </Group>
        {upload.error && <ProblemAlert error={upload.error} />}
        {result && (
          <Alert color={result.rejected > 0 ? 'orange' : 'teal'} variant="light" data-testid="report-result">
            <Text size="sm">
              {t('chain.accrochage.reportResult', { accepted: result.accepted, rejected: result.rejected })}
            </Text>
            {result.updated
              .filter((u) => u.status === 'rejected')
              .map((u) => (
                <Text size="sm" key={u.certificateId}>
                  {u.number} : {u.message ?? t('common.none')}
                </Text>
              ))}
            {result.unknown.length > 0 && (
              <Text size="sm">
                {t('chain.accrochage.reportUnknown', {
                  count: result.unknown.length,
                  ids: result.unknown.map((u) => u.idTechnique).join(', '),
                })}
              </Text>
            )}
            {result.warnings.map((w) => (
              <Text size="sm" key={`${w.line}-${w.message}`}>
                {t('chain.accrochage.reportWarning', { line: w.line, message: w.message })}
              </Text>
            ))}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** The 3-month deadline of each certificate not yet accepted by the CDC: late first, then due soon. */
function DeadlineDashboard() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<AccrochageDeadlineState | 'all'>('all');
  const deadlines = useQuery({
    queryKey: ['accrochage', 'deadlines'],
    queryFn: () => call(accrochage.listAccrochageDeadlines),
  });
  if (deadlines.error)
    return <ProblemAlert error={deadlines.error} onRetry={() => void deadlines.refetch()} />;
  if (!deadlines.data) return <PageLoader />;
  const { items, counts } = deadlines.data;
  const shown = state === 'all' ? items : items.filter((i) => i.state === state);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={4}>{t('chain.deadlines.title')}</Title>
        <ExportButton
          path={reports.exportAccrochageDeadlines.path}
          query={{ state: state === 'all' ? undefined : state }}
        />
      </Group>
      <Text size="sm" c="dimmed">
        {t('chain.deadlines.help')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="deadline-counts">
        {accrochageDeadlineStates.map((s) => (
          <Paper key={s} withBorder p="md">
            <Text size="xs" tt="uppercase" fw={600} c={stateColors[s]}>
              {t(`chain.deadlines.state.${s}`)}
            </Text>
            <Text fz={28} fw={700}>
              {counts[s]}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <SegmentedControl
        value={state}
        onChange={(v) => setState(v as AccrochageDeadlineState | 'all')}
        data={[
          { value: 'all', label: t('chain.deadlines.all') },
          ...accrochageDeadlineStates.map((s) => ({ value: s, label: t(`chain.deadlines.state.${s}`) })),
        ]}
        w="fit-content"
      />
      <Paper withBorder style={{ overflowX: 'auto' }}>
        <Table striped data-testid="deadlines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('chain.certificate.number')}</Table.Th>
              <Table.Th>{t('chain.certificate.holder')}</Table.Th>
              <Table.Th>{t('chain.certificate.certification')}</Table.Th>
              <Table.Th>{t('chain.certificate.issuedOn')}</Table.Th>
              <Table.Th>{t('chain.deadlines.dueOn')}</Table.Th>
              <Table.Th>{t('chain.deadlines.state.label')}</Table.Th>
              <Table.Th>{t('chain.certificate.accrochage')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text c="dimmed" ta="center" py="md">
                    {t('chain.deadlines.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {shown.map((d) => (
              <Table.Tr key={d.certificateId}>
                <Table.Td ff="monospace">{d.number}</Table.Td>
                <Table.Td>{d.holderName}</Table.Td>
                <Table.Td>{d.certificationCode}</Table.Td>
                <Table.Td>{formatDate(d.issuedOn, i18n.language)}</Table.Td>
                <Table.Td>{formatDate(d.dueOn, i18n.language)}</Table.Td>
                <Table.Td>
                  <Badge color={stateColors[d.state]} variant="light" radius="sm">
                    {d.daysLeft < 0
                      ? t('chain.deadlines.daysLate', { count: -d.daysLeft })
                      : t('chain.deadlines.daysLeft', { count: d.daysLeft })}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <AccrochageStatusBadge status={d.accrochageStatus} />
                    {d.accrochageMessage && (
                      <Text size="xs" c="red">
                        {d.accrochageMessage}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

/**
 * The accrochage to the Caisse des Dépôts: the CDC identifiers, the export of the flux (checked against the
 * XSD before it is offered) with the holders left out and why, the processing report, and the deadlines.
 */
export function AccrochagePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const manage = can('certificate.manage');
  return (
    <>
      <PageHeader
        title={t('chain.accrochage.title')}
        subtitle={t('chain.accrochage.subtitle')}
        actions={
          <Anchor component={Link} to="/certificates" size="sm">
            {t('nav.certificates')}
          </Anchor>
        }
      />
      <Stack gap="lg">
        {manage && <SettingsCard />}
        {manage && (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <ExportPanel />
            <ReportPanel />
          </SimpleGrid>
        )}
        <DeadlineDashboard />
      </Stack>
    </>
  );
}
