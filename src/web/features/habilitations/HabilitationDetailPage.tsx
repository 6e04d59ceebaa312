import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { habilitations } from '../../../core/contracts/index.js';
import type { HabilitationDetail } from '../../../core/habilitations/habilitation.schema.js';
import type { HabilitationStatus } from '../../../core/habilitations/lifecycle.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate, formatDateTime } from '../../i18n/format.js';
import { downloadUrl } from '../evidence/evidence-upload.js';
import { DeclarationDeadline, useDeclarationChanges } from '../network/DeclarationDeadline.js';
import { formatPeriod, HabilitationStatusBadge, InfoItem } from '../network/parts.js';
import { RequestsPanel } from '../portal/RequestsPanel.js';
import { DecisionModal } from './DecisionModal.js';
import { decisionTone, habilitationStatusColors, orderedDecisions } from './habilitation-labels.js';

function Conditions({ conditions }: { conditions: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const { minimumHours, maxGroupSize, inPersonShare, notes, ...other } = conditions;
  const lines: { key: string; label: string; value: string }[] = [];
  const number = (n: number) => new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR').format(n);
  if (typeof minimumHours === 'number')
    lines.push({
      key: 'minimumHours',
      label: t('habilitations.conditions.minimumHours'),
      value: t('habilitations.conditions.minimumHoursValue', { value: number(minimumHours) }),
    });
  if (typeof maxGroupSize === 'number')
    lines.push({
      key: 'maxGroupSize',
      label: t('habilitations.conditions.maxGroupSize'),
      value: t('habilitations.conditions.maxGroupSizeValue', { value: number(maxGroupSize) }),
    });
  if (typeof inPersonShare === 'number')
    lines.push({
      key: 'inPersonShare',
      label: t('habilitations.conditions.inPersonShare'),
      value: t('habilitations.conditions.inPersonShareValue', {
        value: number(Math.round(inPersonShare * 1000) / 10),
      }),
    });
  if (typeof notes === 'string')
    lines.push({ key: 'notes', label: t('habilitations.conditions.notes'), value: notes });
  // Conditions recorded by other means (import, API) are shown as they are.
  for (const [key, value] of Object.entries(other))
    lines.push({ key, label: key, value: typeof value === 'string' ? value : JSON.stringify(value) });
  if (lines.length === 0) return <Text c="dimmed">{t('habilitations.detail.noConditions')}</Text>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      {lines.map((l) => (
        <InfoItem key={l.key} label={l.label}>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{l.value}</Text>
        </InfoItem>
      ))}
    </SimpleGrid>
  );
}

function Terms({ habilitation: h }: { habilitation: HabilitationDetail }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  return (
    <Card padding="lg">
      <Title order={4} mb="md">
        {t('habilitations.detail.terms')}
      </Title>
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <InfoItem label={t('habilitations.detail.partner')}>
            {can('organisation.read') ? (
              <Anchor component={Link} to={`/organisations/${h.organisationId}`}>
                {h.organisationName}
              </Anchor>
            ) : (
              h.organisationName
            )}
          </InfoItem>
          <InfoItem label={t('habilitations.detail.certification')}>
            <Anchor component={Link} to={`/certifications/${h.certificationId}`}>
              <Text span ff="monospace" fw={600} inherit>
                {h.certificationCode}
              </Text>{' '}
              — {h.certificationTitle}
            </Anchor>
          </InfoItem>
          <InfoItem label={t('habilitations.detail.scope')}>{t(`habilitations.scope.${h.scope}`)}</InfoItem>
          <InfoItem label={t('habilitations.detail.period')}>
            {formatPeriod(h.startsOn, h.endsOn, t, i18n.language)}
          </InfoItem>
          <InfoItem label={t('habilitations.detail.skillBlocks')}>
            {h.coversAllSkillBlocks ? (
              t('habilitations.allBlocks')
            ) : (
              <Stack gap={4}>
                {h.skillBlocks.map((b) => (
                  <Text key={b.id} size="sm">
                    <Text span ff="monospace" fw={600} inherit>
                      {b.code}
                    </Text>{' '}
                    {b.title}
                  </Text>
                ))}
              </Stack>
            )}
          </InfoItem>
          <InfoItem label={t('habilitations.detail.territory')}>{h.territory}</InfoItem>
          <InfoItem label={t('habilitations.detail.sites')}>
            {h.sites.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('habilitations.detail.noSites')}
              </Text>
            ) : (
              <Stack gap={4}>
                {h.sites.map((s) => (
                  <Text key={s.id} size="sm">
                    <Text span fw={600} inherit>
                      {s.label}
                    </Text>
                    {[s.addressLine, [s.postalCode, s.city].filter(Boolean).join(' ')]
                      .filter(Boolean)
                      .map((part) => ` · ${part}`)
                      .join('')}
                  </Text>
                ))}
              </Stack>
            )}
          </InfoItem>
        </SimpleGrid>
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={6} style={{ letterSpacing: 0.4 }}>
            {t('habilitations.detail.conditions')}
          </Text>
          <Conditions conditions={h.conditions} />
        </div>
      </Stack>
    </Card>
  );
}

function Decisions({ habilitation: h }: { habilitation: HabilitationDetail }) {
  const { t, i18n } = useTranslation();
  // The two-month deadline of each decision that changes what France Compétences lists.
  const declarationOf = useDeclarationChanges(h);
  // Newest first: the current status is at the top.
  const decisions = [...h.decisions].reverse();
  return (
    <Card padding="lg">
      <Title order={4} mb="md">
        {t('habilitations.detail.decisions')}
      </Title>
      {decisions.length === 0 ? (
        <Text c="dimmed">{t('habilitations.detail.noDecisions')}</Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} active={0}>
          {decisions.map((d) => (
            <Timeline.Item
              key={d.id}
              color={habilitationStatusColors[d.toStatus]}
              title={
                <Group gap={6}>
                  {d.fromStatus && (
                    <>
                      <HabilitationStatusBadge status={d.fromStatus} />
                      <Text span c="dimmed" size="sm">
                        →
                      </Text>
                    </>
                  )}
                  <HabilitationStatusBadge status={d.toStatus} />
                </Group>
              }
            >
              <Text size="sm" mt={6} style={{ whiteSpace: 'pre-wrap' }}>
                {d.reasons}
              </Text>
              {(d.evidence.length > 0 || d.findings.length > 0) && (
                <Stack gap={2} mt={6}>
                  {d.evidence.map((e) => (
                    <Anchor key={e.id} href={downloadUrl(e.id)} target="_blank" size="xs">
                      {t('habilitations.detail.decisionEvidence', { name: e.fileName })}
                    </Anchor>
                  ))}
                  {d.findings.map((f) => (
                    <Anchor key={f.id} component={Link} to={`/findings/${f.id}`} size="xs">
                      {t('habilitations.detail.decisionFinding', { title: f.title })}
                    </Anchor>
                  ))}
                </Stack>
              )}
              {declarationOf.get(d.id) && (
                <Group mt={6}>
                  <DeclarationDeadline change={declarationOf.get(d.id)!} />
                </Group>
              )}
              <Text size="xs" c="dimmed" mt={4}>
                {t('habilitations.detail.decidedBy', {
                  date: formatDateTime(d.decidedAt, i18n.language),
                  name: d.decidedByName ?? t('habilitations.detail.system'),
                })}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Card>
  );
}

/** One habilitation: its terms, the decisions taken on it, and the decisions its status allows next. */
export function HabilitationDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [deciding, setDeciding] = useState<HabilitationStatus | null>(null);
  const habilitation = useQuery({
    queryKey: ['habilitations', 'one', id],
    queryFn: () => call(habilitations.getHabilitation, { params: { id } }),
  });
  if (habilitation.isPending) return <PageLoader />;
  if (habilitation.error)
    return <ErrorAlert error={habilitation.error} onRetry={() => void habilitation.refetch()} />;
  const h = habilitation.data;
  const decisions = orderedDecisions(h.allowedTransitions);
  const mayManage = can('habilitation.manage');
  const editable = mayManage && h.allowedTransitions.length > 0;

  return (
    <>
      <PageHeader
        title={`${h.organisationName} · ${h.certificationCode}`}
        badges={<HabilitationStatusBadge status={h.status} size="lg" />}
        subtitle={`${h.certificationTitle} — ${t('habilitations.detail.createdOn', { date: formatDate(h.createdAt, i18n.language) })}`}
        back={{ to: '/habilitations', label: t('habilitations.detail.backToList') }}
        actions={
          editable && (
            <Button component={Link} to={`/habilitations/${h.id}/edit`} variant="default">
              {t('habilitations.detail.editTerms')}
            </Button>
          )
        }
      />
      {mayManage && (
        <Card padding="md" mb="md">
          <Group justify="space-between" align="center" wrap="wrap" gap="sm">
            <Text fw={600} size="sm">
              {t('habilitations.detail.lifecycle')}
            </Text>
            {decisions.length === 0 ? (
              <Badge variant="light" color="gray" tt="none" size="lg" radius="sm">
                {t('habilitations.detail.finalStatus')}
              </Badge>
            ) : (
              <Group gap="xs">
                {decisions.map((to) => {
                  const tone = decisionTone(to);
                  return (
                    <Button
                      key={to}
                      size="sm"
                      variant={tone === 'primary' ? 'filled' : tone === 'danger' ? 'light' : 'default'}
                      color={tone === 'danger' ? 'red' : undefined}
                      onClick={() => setDeciding(to)}
                    >
                      {t(`habilitations.decide.${to}`)}
                    </Button>
                  );
                })}
              </Group>
            )}
          </Group>
        </Card>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Terms habilitation={h} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Decisions habilitation={h} />
        </Grid.Col>
        {can('request.read') && (
          <Grid.Col span={12}>
            <RequestsPanel organisationId={h.organisationId} about={{ habilitationId: h.id }} />
          </Grid.Col>
        )}
      </Grid>
      <DecisionModal habilitation={h} to={deciding} onClose={() => setDeciding(null)} />
    </>
  );
}
