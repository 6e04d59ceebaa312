import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { keepPreviousData, type UseMutationResult, useMutation, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { AuditEntryView, AuditVerification } from '../../../core/contracts/audit.js';
import { audit, reports } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import {
  IconAlert,
  IconCheck,
  IconChevronDown,
  IconChevronUp,
  IconShieldCheck,
  IconTools,
} from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDateTime } from '../../i18n/format.js';
import { useUrlFilters } from '../network/use-url-filters.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { auditActionLabel, auditBreakReason, auditEntityLabel } from './audit-labels.js';

const PAGE_SIZE = 50;
const entityTypes = [
  'organisation',
  'habilitation',
  'convention',
  'finding',
  'sanction',
  'evidence',
  'user',
] as const;

function Snapshot({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  return (
    <Stack gap={4}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Code block style={{ maxHeight: 320, overflow: 'auto', fontSize: 12 }}>
        {JSON.stringify(value, null, 2)}
      </Code>
    </Stack>
  );
}

/** The screens an audit entry's entity opens on. */
const entityPages: Record<string, string> = {
  organisation: '/organisations',
  habilitation: '/habilitations',
  convention: '/conventions',
};

function EntryRow({ entry }: { entry: AuditEntryView }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const hasDetails = entry.before != null || entry.after != null;
  const page = entry.entityId ? entityPages[entry.entityType] : undefined;
  const entity =
    page && entry.entityId ? (
      <Anchor component={Link} to={`${page}/${entry.entityId}`} size="sm">
        {auditEntityLabel(entry.entityType, t)}
      </Anchor>
    ) : (
      <Text size="sm">{auditEntityLabel(entry.entityType, t)}</Text>
    );
  return (
    <Fragment>
      <Table.Tr>
        <Table.Td ff="monospace" fz="sm" c="dimmed">
          {entry.seq}
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }} fz="sm">
          {formatDateTime(entry.at, i18n.language)}
        </Table.Td>
        <Table.Td fz="sm">{entry.actorLabel}</Table.Td>
        <Table.Td>
          <Text size="sm" fw={500}>
            {auditActionLabel(entry.action, t)}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {entry.action}
          </Text>
        </Table.Td>
        <Table.Td>
          {entity}
          {entry.entityId && (
            <Text size="xs" c="dimmed" ff="monospace">
              {entry.entityId.slice(0, 8)}
            </Text>
          )}
        </Table.Td>
        <Table.Td ff="monospace" fz="xs" c="dimmed" title={entry.hash}>
          {entry.hash.slice(0, 12)}…
        </Table.Td>
        <Table.Td>
          {hasDetails && (
            <ActionIcon
              variant="subtle"
              color="gray"
              onClick={() => setOpen((o) => !o)}
              aria-expanded={open}
              aria-label={open ? t('audit.hideDetails') : t('audit.showDetails')}
              title={open ? t('audit.hideDetails') : t('audit.showDetails')}
            >
              {open ? <IconChevronUp size={16} /> : <IconChevronDown size={16} />}
            </ActionIcon>
          )}
        </Table.Td>
      </Table.Tr>
      {hasDetails && open && (
        <Table.Tr>
          <Table.Td colSpan={7} bg="var(--mantine-color-gray-0)">
            <SimpleGrid cols={{ base: 1, md: 2 }} py="xs">
              <Snapshot label={t('audit.before')} value={entry.before} />
              <Snapshot label={t('audit.after')} value={entry.after} />
            </SimpleGrid>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

function VerificationResult({ verify }: { verify: UseMutationResult<AuditVerification, Error, void> }) {
  const { t } = useTranslation();
  const result = verify.data;
  if (verify.error) return <ErrorAlert error={verify.error} />;
  if (!result) return null;
  if (result.ok) {
    return (
      <Alert color="teal" variant="light" title={t('audit.verifyOkTitle')} icon={<IconCheck />} role="status">
        <Text size="sm">{t('audit.verifyOk', { count: result.entries })}</Text>
        {result.lastHash && (
          <Text size="xs" c="dimmed" ff="monospace" mt={4} style={{ wordBreak: 'break-all' }}>
            {t('audit.lastHash', { hash: result.lastHash })}
          </Text>
        )}
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" title={t('audit.verifyBrokenTitle')} icon={<IconAlert />} role="alert">
      {result.firstBroken &&
        t('audit.verifyBroken', {
          seq: result.firstBroken.seq,
          reason: auditBreakReason(result.firstBroken.reason, t),
        })}
    </Alert>
  );
}

function AuditLog() {
  const { t } = useTranslation();
  const { can } = useSession();
  // The filters live in the address: the partner page links here with ?organisation=<id>.
  const { params, update, page } = useUrlFilters();
  const entityType = params.get('entity');
  const organisationId = params.get('organisation');
  const setPage = (p: number) => update({ page: p > 1 ? String(p) : null }, false);
  const verify = useMutation({ mutationFn: () => call(audit.verifyAuditLog) });
  const query = {
    entityType: entityType ?? undefined,
    organisationId: organisationId ?? undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const entries = useQuery({
    queryKey: ['audit', 'list', query],
    queryFn: () => call(audit.listAuditEntries, { query }),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={3}>{t('audit.logTitle')}</Title>
        <Group align="flex-end" gap="sm">
          <Stack gap={0} w={340}>
            <OrganisationPicker
              label={t('networkList.audit.organisation')}
              placeholder={t('networkList.audit.anyOrganisation')}
              value={organisationId}
              onChange={(id) => update({ organisation: id })}
            />
          </Stack>
          <Select
            label={t('audit.entityFilter')}
            placeholder={t('audit.allEntities')}
            data={entityTypes.map((e) => ({ value: e, label: auditEntityLabel(e, t) }))}
            value={entityType}
            onChange={(v) => update({ entity: v })}
            clearable
            w={220}
          />
          <ExportButton path={reports.exportAuditLog.path} query={query} />
          {can('audit.verify') && (
            <Button
              onClick={() => verify.mutate()}
              loading={verify.isPending}
              leftSection={<IconShieldCheck size={16} />}
              variant="light"
            >
              {t('audit.verify')}
            </Button>
          )}
        </Group>
      </Group>
      <VerificationResult verify={verify} />
      {entries.error && <ErrorAlert error={entries.error} onRetry={() => void entries.refetch()} />}
      {entries.isPending && !entries.error && <PageLoader />}
      {entries.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={860}>
            <Table aria-label={t('audit.logTitle')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th w={60}>{t('audit.columns.seq')}</Table.Th>
                  <Table.Th>{t('audit.columns.at')}</Table.Th>
                  <Table.Th>{t('audit.columns.actor')}</Table.Th>
                  <Table.Th>{t('audit.columns.action')}</Table.Th>
                  <Table.Th>{t('audit.columns.entity')}</Table.Th>
                  <Table.Th>{t('audit.columns.hash')}</Table.Th>
                  <Table.Th w={48} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.data.items.map((entry) => (
                  <EntryRow key={entry.seq} entry={entry} />
                ))}
                {entries.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed" ta="center" py="xl">
                        {t('audit.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager total={entries.data.total} limit={PAGE_SIZE} page={page} onPage={setPage} />
        </Paper>
      )}
    </Stack>
  );
}

/** Evidence (not built yet, said plainly) and the hash-chained audit log with its verification. */
export function AuditLogPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <Stack gap="xl">
        <Alert
          color="orange"
          variant="light"
          icon={<IconTools />}
          title={
            <Group gap="xs">
              {t('audit.evidenceTitle')}
              <Badge color="orange" variant="light" size="sm">
                {t('underConstruction.badge')}
              </Badge>
            </Group>
          }
        >
          {t('underConstruction.descriptions.evidence')}
        </Alert>
        {can('audit.read') ? <AuditLog /> : <Text c="dimmed">{t('audit.noAccess')}</Text>}
      </Stack>
    </>
  );
}
