import { Badge, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  conventions,
  evidence,
  findings,
  habilitations,
  reports,
  sanctions,
} from '../../../core/contracts/index.js';
import type { OrganisationView } from '../../../core/organisations/organisation.schema.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { formatDate } from '../../i18n/format.js';
import { CreateConventionModal } from '../conventions/ConventionModals.js';
import { ConventionTable } from '../conventions/ConventionTable.js';
import { EvidenceTable, UploadEvidenceModal } from '../evidence/EvidenceTable.js';
import { HabilitationTable } from '../habilitations/HabilitationTable.js';

/** The lists of a partner page read at most this many rows; a partner with more is a rare, paged case. */
const LIMIT = 200;

const habilitationQuery = (organisationId: string) => ({ organisationId, limit: LIMIT });
const conventionQuery = (organisationId: string) => ({ organisationId, limit: LIMIT });
const evidenceQuery = (organisationId: string) => ({ organisationId, limit: LIMIT });
const findingQuery = (organisationId: string) => ({ organisationId, limit: LIMIT });
const sanctionQuery = (organisationId: string) => ({ organisationId, limit: LIMIT });

const useHabilitations = (organisationId: string) => {
  const query = habilitationQuery(organisationId);
  return useQuery({
    queryKey: ['habilitations', 'list', query],
    queryFn: () => call(habilitations.listHabilitations, { query }),
  });
};
const useConventions = (organisationId: string) => {
  const query = conventionQuery(organisationId);
  return useQuery({
    queryKey: ['conventions', 'list', query],
    queryFn: () => call(conventions.listConventions, { query }),
  });
};
const useEvidence = (organisationId: string, enabled: boolean) => {
  const query = evidenceQuery(organisationId);
  return useQuery({
    queryKey: ['evidence', 'list', query],
    queryFn: () => call(evidence.listEvidence, { query }),
    enabled,
  });
};
const useFindings = (organisationId: string, enabled: boolean) => {
  const query = findingQuery(organisationId);
  return useQuery({
    queryKey: ['findings', 'list', query],
    queryFn: () => call(findings.listFindings, { query }),
    enabled,
  });
};
const useSanctions = (organisationId: string, enabled: boolean) => {
  const query = sanctionQuery(organisationId);
  return useQuery({
    queryKey: ['sanctions', 'list', query],
    queryFn: () => call(sanctions.listSanctions, { query }),
    enabled,
  });
};

/**
 * A partner-page panel; `exportPath` adds the « Exporter » menu of the list it shows, filtered on the
 * organisation (the list's own export, with its permission and partner scope).
 */
function Panel({
  title,
  actions,
  exportPath,
  organisationId,
  children,
}: {
  title: string;
  actions?: ReactNode;
  exportPath?: string;
  organisationId?: string;
  children: ReactNode;
}) {
  return (
    <Card padding={0}>
      <Group justify="space-between" p="lg" pb="sm">
        <Title order={4}>{title}</Title>
        <Group gap="xs">
          {exportPath && organisationId && <ExportButton path={exportPath} query={{ organisationId }} />}
          {actions}
        </Group>
      </Group>
      {children}
    </Card>
  );
}

export function HabilitationsPanel({ organisation }: { organisation: OrganisationView }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const list = useHabilitations(organisation.id);
  return (
    <Panel
      title={t('partner.tabs.habilitations')}
      exportPath={reports.exportHabilitations.path}
      organisationId={organisation.id}
      actions={
        can('habilitation.manage') &&
        !organisation.archivedAt && (
          <Button
            component={Link}
            to={`/habilitations/new?organisation=${organisation.id}`}
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
          >
            {t('partner.newHabilitation')}
          </Button>
        )
      }
    >
      {list.error && <ErrorAlert error={list.error} />}
      {list.isPending && <PageLoader />}
      {list.data && (
        <HabilitationTable items={list.data.items} hideOrganisation empty={t('partner.noHabilitations')} />
      )}
    </Panel>
  );
}

export function ConventionsPanel({ organisation }: { organisation: OrganisationView }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [creating, { open, close }] = useDisclosure(false);
  const list = useConventions(organisation.id);
  const mayCreate = can('convention.manage') && !organisation.archivedAt;
  return (
    <Panel
      title={t('partner.tabs.conventions')}
      exportPath={reports.exportConventions.path}
      organisationId={organisation.id}
      actions={
        mayCreate && (
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={open}>
            {t('conventions.new')}
          </Button>
        )
      }
    >
      {list.error && <ErrorAlert error={list.error} />}
      {list.isPending && <PageLoader />}
      {list.data && (
        <ConventionTable items={list.data.items} hideOrganisation empty={t('partner.noConventions')} />
      )}
      {mayCreate && (
        <CreateConventionModal opened={creating} onClose={close} organisationId={organisation.id} />
      )}
    </Panel>
  );
}

export function EvidencePanel({ organisation }: { organisation: OrganisationView }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [uploading, { open, close }] = useDisclosure(false);
  const list = useEvidence(organisation.id, true);
  return (
    <Panel
      title={t('evidenceFiles.title')}
      exportPath={reports.exportEvidence.path}
      organisationId={organisation.id}
      actions={
        can('evidence.upload') && (
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={open}>
            {t('evidenceFiles.upload')}
          </Button>
        )
      }
    >
      {list.error && <ErrorAlert error={list.error} />}
      {list.isPending && <PageLoader />}
      {list.data && <EvidenceTable items={list.data.items} />}
      <UploadEvidenceModal
        opened={uploading}
        onClose={close}
        meta={{ organisationId: organisation.id, entityType: 'organisation', entityId: organisation.id }}
      />
    </Panel>
  );
}

const severityColors = { minor: 'yellow', major: 'orange', critical: 'red' } as const;

export function FindingsPanel({ organisation }: { organisation: OrganisationView }) {
  const { t, i18n } = useTranslation();
  const list = useFindings(organisation.id, true);
  return (
    <Panel
      title={t('partner.tabs.findings')}
      exportPath={reports.exportFindings.path}
      organisationId={organisation.id}
    >
      {list.error && <ErrorAlert error={list.error} />}
      {list.isPending && <PageLoader />}
      {list.data && (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label={t('partner.tabs.findings')}>
            <Table.Thead bg="var(--mantine-color-gray-0)">
              <Table.Tr>
                <Table.Th>{t('partner.findings.columns.title')}</Table.Th>
                <Table.Th>{t('partner.findings.columns.severity')}</Table.Th>
                <Table.Th>{t('partner.findings.columns.status')}</Table.Th>
                <Table.Th>{t('partner.findings.columns.openedAt')}</Table.Th>
                <Table.Th>{t('partner.findings.columns.closedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((f) => (
                <Table.Tr key={f.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {f.title}
                    </Text>
                    {f.description && (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {f.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={severityColors[f.severity]} variant="light" radius="sm">
                      {t(`partner.findings.severity.${f.severity}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td fz="sm">{t(`partner.findings.status.${f.status}`)}</Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(f.openedAt, i18n.language)}
                  </Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    {f.closedAt ? formatDate(f.closedAt, i18n.language) : t('common.none')}
                  </Table.Td>
                </Table.Tr>
              ))}
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="xl">
                      {t('partner.noFindings')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}

const levelColors = {
  observation: 'yellow',
  warning: 'orange',
  reinforced_watch: 'orange',
  suspension: 'red',
  withdrawal: 'red',
} as const;

export function SanctionsPanel({ organisation }: { organisation: OrganisationView }) {
  const { t, i18n } = useTranslation();
  const list = useSanctions(organisation.id, true);
  return (
    <Panel
      title={t('partner.tabs.sanctions')}
      exportPath={reports.exportSanctions.path}
      organisationId={organisation.id}
    >
      {list.error && <ErrorAlert error={list.error} />}
      {list.isPending && <PageLoader />}
      {list.data && (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label={t('partner.tabs.sanctions')}>
            <Table.Thead bg="var(--mantine-color-gray-0)">
              <Table.Tr>
                <Table.Th>{t('partner.sanctions.columns.level')}</Table.Th>
                <Table.Th>{t('partner.sanctions.columns.reasons')}</Table.Th>
                <Table.Th>{t('partner.sanctions.columns.decidedOn')}</Table.Th>
                <Table.Th>{t('partner.sanctions.columns.replyDueOn')}</Table.Th>
                <Table.Th>{t('partner.sanctions.columns.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Badge color={levelColors[s.level]} variant="light" radius="sm">
                      {t(`partner.sanctions.level.${s.level}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={3}>
                      {s.reasons}
                    </Text>
                  </Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(s.decidedOn, i18n.language)}
                  </Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    {s.replyDueOn ? formatDate(s.replyDueOn, i18n.language) : t('common.none')}
                  </Table.Td>
                  <Table.Td fz="sm">{t(`partner.sanctions.status.${s.status}`)}</Table.Td>
                </Table.Tr>
              ))}
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="xl">
                      {t('partner.noSanctions')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}
