import { Anchor, Badge, Group, Paper, Text, Timeline, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fillPath } from '../../../core/contracts/contract.js';
import { network, reports } from '../../../core/contracts/index.js';
import { type HabilitationStatus, habilitationStatuses } from '../../../core/habilitations/lifecycle.js';
import type { TimelineEvent } from '../../../core/network/network.schema.js';
import { type QualiopiStatus, qualiopiStatuses } from '../../../core/organisations/organisation.schema.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { Pager } from '../../components/Pager.js';
import { translateOr } from '../../i18n/dynamic.js';
import { formatDate, formatDateTime } from '../../i18n/format.js';
import { auditActionLabel } from '../audit/audit-labels.js';
import { downloadUrl } from '../evidence/evidence-upload.js';
import { habilitationStatusColors } from '../habilitations/habilitation-labels.js';
import { HabilitationStatusBadge } from '../network/parts.js';
import { QualiopiBadge } from '../organisations/QualiopiBadge.js';

const PAGE_SIZE = 25;

const isHabilitationStatus = (v: string | null): v is HabilitationStatus =>
  v !== null && (habilitationStatuses as readonly string[]).includes(v);
const isQualiopiStatus = (v: string | null): v is QualiopiStatus =>
  v !== null && (qualiopiStatuses as readonly string[]).includes(v);

const severityColors: Record<string, string> = { minor: 'yellow', major: 'orange', critical: 'red' };
const actionColors: Record<string, string> = {
  'organisation.create': 'indigo',
  'habilitation.create': 'blue',
  'convention.create': 'blue',
  'convention.sign': 'teal',
  'convention.terminate': 'red',
  'finding.close': 'teal',
  'sanction.reply': 'blue',
  'declaration.declare': 'teal',
  'organisation.qualiopi_refresh': 'orange',
};

/** The colour of an event's bullet: the habilitation's new status, a finding's severity, a sanction's weight. */
export function eventColor(e: TimelineEvent): string {
  if (e.action === 'habilitation.decide' && isHabilitationStatus(e.toStatus))
    return habilitationStatusColors[e.toStatus];
  if (e.action === 'finding.create') return severityColors[e.toStatus ?? ''] ?? 'gray';
  if (e.action === 'sanction.create')
    return e.toStatus === 'observation' ? 'yellow' : e.toStatus === 'warning' ? 'orange' : 'red';
  return actionColors[e.action] ?? 'gray';
}

/** Where an event's subject leads: the habilitation, the convention, the file. */
function linkOf(e: TimelineEvent): { to: string; external: boolean } | null {
  if (!e.entityId) return null;
  if (e.entityType === 'habilitation') return { to: `/habilitations/${e.entityId}`, external: false };
  if (e.entityType === 'convention') return { to: `/conventions/${e.entityId}`, external: false };
  if (e.entityType === 'evidence') return { to: downloadUrl(e.entityId), external: true };
  return null;
}

function StatusChange({ event }: { event: TimelineEvent }) {
  const { t } = useTranslation();
  const arrow = (
    <Text span size="sm" c="dimmed">
      →
    </Text>
  );
  if (event.entityType === 'habilitation' && isHabilitationStatus(event.toStatus))
    return (
      <Group gap={4}>
        {isHabilitationStatus(event.fromStatus) && <HabilitationStatusBadge status={event.fromStatus} />}
        {isHabilitationStatus(event.fromStatus) && arrow}
        <HabilitationStatusBadge status={event.toStatus} />
      </Group>
    );
  if (event.action === 'organisation.qualiopi_refresh' && isQualiopiStatus(event.toStatus))
    return (
      <Group gap={4}>
        {isQualiopiStatus(event.fromStatus) && <QualiopiBadge status={event.fromStatus} />}
        {isQualiopiStatus(event.fromStatus) && arrow}
        <QualiopiBadge status={event.toStatus} />
      </Group>
    );
  if (event.action === 'finding.create' && event.toStatus)
    return (
      <Badge color={severityColors[event.toStatus] ?? 'gray'} variant="light" radius="sm">
        {translateOr(t, `partner.findings.severity.${event.toStatus}`, event.toStatus)}
      </Badge>
    );
  if (event.entityType === 'finding' && event.toStatus && event.action !== 'finding.close')
    return (
      <Text size="sm" c="dimmed">
        {[event.fromStatus, event.toStatus]
          .filter((s): s is string => Boolean(s))
          .map((s) => translateOr(t, `partner.findings.status.${s}`, s))
          .join(' → ')}
      </Text>
    );
  return null;
}

function EventTitle({ event }: { event: TimelineEvent }) {
  const { t } = useTranslation();
  const label = translateOr(
    t,
    `networkList.timeline.events.${event.action.replace(/\./g, '_')}`,
    auditActionLabel(event.action, t),
  );
  const subject =
    event.entityType === 'sanction' && event.subject
      ? translateOr(t, `partner.sanctions.level.${event.subject}`, event.subject)
      : event.subject;
  const link = linkOf(event);
  const mono = event.entityType === 'habilitation';
  return (
    <Group gap={6} wrap="wrap">
      <Text fw={600} size="sm">
        {label}
      </Text>
      {subject &&
        (link ? (
          link.external ? (
            <Anchor href={link.to} size="sm" download>
              {subject}
            </Anchor>
          ) : (
            <Anchor component={Link} to={link.to} size="sm" ff={mono ? 'monospace' : undefined}>
              {subject}
            </Anchor>
          )
        ) : (
          <Text size="sm" c="dimmed">
            {subject}
          </Text>
        ))}
      <StatusChange event={event} />
    </Group>
  );
}

/**
 * Everything that happened to the partner, newest first, a page at a time, read from one server query
 * (GET /api/organisations/:id/timeline): decisions, conventions, findings, sanctions, evidence, Qualiopi
 * refreshes and, for those who read the audit log, its other entries about the partner.
 */
export function TimelinePanel({ organisationId }: { organisationId: string }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [page, setPage] = useState(1);
  const query = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const timeline = useQuery({
    queryKey: ['organisations', 'timeline', organisationId, query],
    queryFn: () => call(network.getPartnerTimeline, { params: { id: organisationId }, query }),
    placeholderData: keepPreviousData,
    // Decisions taken on other screens must show as soon as the tab opens.
    staleTime: 0,
  });
  const readsAudit = can('audit.read');

  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Title order={4}>{t('networkList.timeline.title')}</Title>
        <Group gap="sm">
          {readsAudit && (
            <Anchor component={Link} to={`/evidence?organisation=${organisationId}`} size="sm">
              {t('networkList.timeline.auditLink')}
            </Anchor>
          )}
          {/* Every event, not only this page's. */}
          <ExportButton
            path={fillPath(reports.exportPartnerTimeline.path, { id: organisationId })}
            query={{}}
          />
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="lg">
        {readsAudit ? t('networkList.timeline.intro') : t('networkList.timeline.fromRecords')}
      </Text>
      {timeline.error && <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />}
      {timeline.isPending && !timeline.error && <PageLoader />}
      {timeline.data && timeline.data.items.length === 0 && (
        <Text c="dimmed">{t('networkList.timeline.empty')}</Text>
      )}
      {timeline.data && timeline.data.items.length > 0 && (
        <>
          <Timeline bulletSize={16} lineWidth={2} aria-label={t('networkList.timeline.title')}>
            {timeline.data.items.map((e) => (
              <Timeline.Item key={e.key} color={eventColor(e)} title={<EventTitle event={e} />}>
                {e.text && (
                  <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }} lineClamp={6}>
                    {e.text}
                  </Text>
                )}
                <Text size="xs" c="dimmed" mt={4}>
                  {e.dateOnly
                    ? t('networkList.timeline.dayOnly', { date: formatDate(e.at, i18n.language) })
                    : formatDateTime(e.at, i18n.language)}
                  {e.actor ? ` · ${e.actor}` : ''}
                  {e.fromAuditLog ? ` · ${t('networkList.timeline.fromAuditLog')}` : ''}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
          <Pager total={timeline.data.total} limit={PAGE_SIZE} page={page} onPage={setPage} />
        </>
      )}
    </Paper>
  );
}
