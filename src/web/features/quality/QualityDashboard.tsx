import {
  Anchor,
  Badge,
  Card,
  Group,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { audits, risk } from '../../../core/contracts/index.js';
import { FUNNEL_Z, funnelCurve } from '../../../core/quality/funnel.js';
import { ageBuckets, type QualityOverview } from '../../../core/quality/overview.schema.js';
import { call } from '../../api/client.js';
import { ErrorAlert } from '../../components/feedback.js';
import { severityColors } from './parts.js';

type Funnel = QualityOverview['funnel'][number];

const W = 560;
const H = 300;
const M = { left: 48, right: 16, top: 12, bottom: 40 };

const percent = (v: number, language: string) =>
  new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(v);

/**
 * The funnel plot of one certification, in plain SVG: x = candidates presented (square-root scale, so the
 * small partners are not crushed on the left), y = success rate, the network rate as a line, and the 95 %
 * and 99.8 % control limits as curves. Each partner is a dot with its name in a tooltip; those outside the
 * limits are coloured and listed below the chart (a chart must not be the only way to read a result).
 */
export function FunnelPlot({ funnel }: { funnel: Funnel }) {
  const { t, i18n } = useTranslation();
  const p = funnel.presented ? funnel.passed / funnel.presented : 0;
  const maxN = Math.max(10, ...funnel.partners.map((x) => x.presented));
  const x = (n: number) => M.left + ((W - M.left - M.right) * Math.sqrt(n)) / Math.sqrt(maxN);
  const y = (rate: number) => M.top + (H - M.top - M.bottom) * (1 - rate);
  const path = (points: { n: number; v: number }[]) =>
    points.map((pt, i) => `${i ? 'L' : 'M'}${x(pt.n).toFixed(1)},${y(pt.v).toFixed(1)}`).join(' ');
  const curves = [
    { z: FUNNEL_Z.warning, dash: '4 3', color: 'var(--mantine-color-orange-5)' },
    { z: FUNNEL_Z.alarm, dash: '', color: 'var(--mantine-color-red-6)' },
  ];
  const ticksN = [1, Math.round(maxN / 4), Math.round(maxN / 2), maxN].filter(
    (v, i, a) => a.indexOf(v) === i,
  );
  const outliers = funnel.partners.filter((q) => q.zone !== 'inside');
  const zoneColor = (zone: string) =>
    zone.startsWith('alarm')
      ? 'var(--mantine-color-red-7)'
      : zone.startsWith('warning')
        ? 'var(--mantine-color-orange-6)'
        : 'var(--mantine-color-blue-6)';
  return (
    <Stack gap={4}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`${t('quality.dashboard.funnelTitle')} — ${funnel.code}`}
        style={{ maxWidth: W }}
      >
        {[0, 0.25, 0.5, 0.75, 1].map((r) => (
          <g key={r}>
            <line x1={M.left} x2={W - M.right} y1={y(r)} y2={y(r)} stroke="var(--mantine-color-gray-2)" />
            <text
              x={M.left - 6}
              y={y(r) + 4}
              textAnchor="end"
              fontSize={10}
              fill="var(--mantine-color-gray-6)"
            >
              {percent(r, i18n.language)}
            </text>
          </g>
        ))}
        {ticksN.map((n) => (
          <text
            key={n}
            x={x(n)}
            y={H - M.bottom + 14}
            textAnchor="middle"
            fontSize={10}
            fill="var(--mantine-color-gray-6)"
          >
            {n}
          </text>
        ))}
        <text
          x={(W + M.left) / 2}
          y={H - 6}
          textAnchor="middle"
          fontSize={11}
          fill="var(--mantine-color-gray-7)"
        >
          {t('quality.dashboard.axisN')}
        </text>
        <text
          transform={`translate(12 ${(H - M.bottom + M.top) / 2}) rotate(-90)`}
          textAnchor="middle"
          fontSize={11}
          fill="var(--mantine-color-gray-7)"
        >
          {t('quality.dashboard.axisRate')}
        </text>
        {curves.map(({ z, dash, color }) => {
          const curve = funnelCurve(p, maxN, z);
          return (
            <g key={z} fill="none" stroke={color} strokeWidth={1.5} strokeDasharray={dash || undefined}>
              <path d={path(curve.map((c) => ({ n: c.n, v: c.upper })))} />
              <path d={path(curve.map((c) => ({ n: c.n, v: c.lower })))} />
            </g>
          );
        })}
        <line
          x1={M.left}
          x2={W - M.right}
          y1={y(p)}
          y2={y(p)}
          stroke="var(--mantine-color-dark-4)"
          strokeWidth={1}
        />
        {funnel.partners.map((q) => (
          <circle
            key={q.organisationId}
            cx={x(q.presented)}
            cy={y(q.presented ? q.passed / q.presented : 0)}
            r={q.zone === 'inside' ? 4 : 5.5}
            fill={zoneColor(q.zone)}
            fillOpacity={0.8}
          >
            <title>
              {t('quality.dashboard.point', {
                name: q.legalName,
                passed: q.passed,
                presented: q.presented,
                rate: percent(q.presented ? q.passed / q.presented : 0, i18n.language),
              })}
            </title>
          </circle>
        ))}
      </svg>
      <Text size="xs" c="dimmed">
        {t('quality.dashboard.networkRate', { rate: percent(p, i18n.language), count: funnel.presented })}
      </Text>
      {outliers.length > 0 && (
        <Text size="sm" c="red" fw={500}>
          {t('quality.dashboard.outliers', {
            names: outliers.map((q) => `${q.legalName} (${q.passed}/${q.presented})`).join(', '),
          })}
        </Text>
      )}
    </Stack>
  );
}

function RiskCard() {
  const { t } = useTranslation();
  const scores = useQuery({
    queryKey: ['risk-scores', 'top'],
    queryFn: () => call(risk.listRiskScores, { query: { limit: 5 } }),
  });
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="sm">
        {t('quality.dashboard.riskTitle')}
      </Title>
      {scores.error && <ErrorAlert error={scores.error} />}
      {scores.data && scores.data.total === 0 && (
        <Text size="sm" c="dimmed">
          {t('quality.dashboard.riskEmpty')}
        </Text>
      )}
      {scores.data && scores.data.total > 0 && (
        <Stack gap="xs">
          <Group gap="xs">
            {(['high', 'medium', 'low'] as const).map((level) => (
              <Badge
                key={level}
                color={level === 'high' ? 'red' : level === 'medium' ? 'orange' : 'teal'}
                variant="light"
              >
                {t(`quality.dashboard.riskLevels.${level}`)} : {scores.data.byLevel[level]}
              </Badge>
            ))}
          </Group>
          {scores.data.items.map((s) => (
            <Group key={s.organisationId} justify="space-between" wrap="nowrap">
              <Anchor component={Link} to={`/organisations/${s.organisationId}`} size="sm" lineClamp={1}>
                {s.legalName}
              </Anchor>
              <Text
                size="sm"
                fw={600}
                c={s.level === 'high' ? 'red' : s.level === 'medium' ? 'orange' : 'teal'}
              >
                {s.score.toFixed(0)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** The quality manager's view of the network: findings, plan, risk, success-rate funnel. */
export function QualityDashboard() {
  const { t } = useTranslation();
  const overview = useQuery({
    queryKey: ['quality', 'overview'],
    queryFn: () => call(audits.getQualityOverview),
  });
  const [certificationId, setCertificationId] = useState<string | null>(null);
  if (overview.error) return <ErrorAlert error={overview.error} onRetry={() => void overview.refetch()} />;
  if (!overview.data) return null;
  const { findings, plan, funnel } = overview.data;
  const shown = funnel.find((f) => f.certificationId === certificationId) ?? funnel[0];

  return (
    <Stack gap="md">
      <Title order={3}>{t('quality.dashboard.title')}</Title>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        <Card withBorder padding="lg">
          <Title order={4} mb={4}>
            {t('quality.dashboard.findingsTitle')}
          </Title>
          <Group gap="xs" mb="sm">
            <Anchor component={Link} to="/findings" size="sm">
              {t('quality.dashboard.live', { count: findings.live })}
            </Anchor>
            <Text size="sm" c={findings.late ? 'red' : 'dimmed'}>
              {t('quality.dashboard.late', { count: findings.late })}
            </Text>
            <Text size="sm" c={findings.escalated ? 'red' : 'dimmed'}>
              {t('quality.dashboard.escalated', { count: findings.escalated })}
            </Text>
          </Group>
          <Table.ScrollContainer minWidth={340}>
            <Table fz="sm" horizontalSpacing={6} aria-label={t('quality.dashboard.findingsTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th />
                  {ageBuckets.map((b) => (
                    <Table.Th key={b} ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {t(`quality.dashboard.ages.${b}`)}
                    </Table.Th>
                  ))}
                  <Table.Th ta="right">{t('quality.dashboard.total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {findings.bySeverity.map((row) => (
                  <Table.Tr key={row.severity}>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/findings?severity=${row.severity}`}
                        size="sm"
                        c={severityColors[row.severity]}
                      >
                        {t(`quality.severity.${row.severity}`)}
                      </Anchor>
                    </Table.Td>
                    {ageBuckets.map((b) => (
                      <Table.Td
                        key={b}
                        ta="right"
                        c={row.ages[b] && (b === 'd180' || b === 'older') ? 'red' : undefined}
                      >
                        {row.ages[b]}
                      </Table.Td>
                    ))}
                    <Table.Td ta="right" fw={600}>
                      {row.total}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
        <Card withBorder padding="lg">
          <Title order={4} mb={4}>
            {t('quality.dashboard.planTitle', { year: plan.year })}
          </Title>
          {plan.total === 0 ? (
            <Text size="sm" c="dimmed">
              {t('quality.dashboard.planEmpty')}
            </Text>
          ) : (
            <Stack gap="xs">
              <Text size="sm">
                {t('quality.dashboard.planLine', {
                  done: plan.done,
                  total: plan.total - plan.cancelled,
                  overdue: plan.overdue,
                })}
              </Text>
              <Progress
                value={plan.total - plan.cancelled ? (100 * plan.done) / (plan.total - plan.cancelled) : 0}
                aria-label={t('quality.dashboard.planTitle', { year: plan.year })}
              />
              {plan.byKind.map((k) => (
                <Group key={k.kind} justify="space-between">
                  <Anchor component={Link} to={`/controls?kind=${k.kind}`} size="sm">
                    {t(`quality.kinds.${k.kind}`)}
                  </Anchor>
                  <Text size="sm">
                    {k.done} / {k.total}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
        </Card>
        <RiskCard />
      </SimpleGrid>
      <Card withBorder padding="lg">
        <Group justify="space-between" align="flex-start" mb="xs">
          <Stack gap={2} style={{ flex: 1 }}>
            <Title order={4}>{t('quality.dashboard.funnelTitle')}</Title>
            <Text size="xs" c="dimmed">
              {t('quality.dashboard.funnelHint')}
            </Text>
          </Stack>
          {funnel.length > 1 && (
            <Select
              aria-label={t('quality.dashboard.funnelTitle')}
              data={funnel.map((f) => ({ value: f.certificationId, label: `${f.code} — ${f.title}` }))}
              value={shown?.certificationId ?? null}
              onChange={setCertificationId}
              allowDeselect={false}
              w={320}
            />
          )}
        </Group>
        {shown ? (
          <FunnelPlot funnel={shown} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('quality.dashboard.funnelEmpty')}
          </Text>
        )}
      </Card>
    </Stack>
  );
}
