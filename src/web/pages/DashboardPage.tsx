import {
  Anchor,
  Card,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ComponentType, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { audit, organisations, users } from '../../core/contracts/index.js';
import { call } from '../api/client.js';
import { useSession, useSignedIn } from '../app/session.js';
import { IconArchiveLock, IconInfo, IconNetwork, IconShieldCheck, IconUsers } from '../components/icons.js';
import { QualityDashboard } from '../features/quality/QualityDashboard.js';
import { formatNumber } from '../i18n/format.js';

function StatCard({
  label,
  value,
  icon: Icon,
  link,
}: {
  label: string;
  value: number | undefined;
  icon: ComponentType<{ size?: number }>;
  link?: { to: string; label: string };
}) {
  const { i18n } = useTranslation();
  return (
    <Card padding="lg" style={{ display: 'flex', flexDirection: 'column' }}>
      <Group justify="space-between" align="center" wrap="nowrap">
        {value === undefined ? (
          <Skeleton h={36} w={64} />
        ) : (
          <Text fz={32} fw={700} lh={1.1}>
            {formatNumber(value, i18n.language)}
          </Text>
        )}
        <ThemeIcon variant="light" size={42} radius="md">
          <Icon size={22} />
        </ThemeIcon>
      </Group>
      <Text size="sm" c="dimmed" fw={500} mt={6}>
        {label}
      </Text>
      {link && (
        <Anchor component={Link} to={link.to} size="sm" mt="auto" pt="md">
          {link.label} →
        </Anchor>
      )}
    </Card>
  );
}

/** Counts that exist today, read from the API; nothing invented. */
export function DashboardPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const { can } = useSession();
  const isPartner = session.user.role === 'partner';

  const organisationCount = useQuery({
    queryKey: ['organisations', 'count'],
    queryFn: () => call(organisations.listOrganisations, { query: { limit: 1 } }),
    enabled: can('organisation.read'),
  });
  const certifiedCount = useQuery({
    queryKey: ['organisations', 'count', 'certified'],
    queryFn: () =>
      call(organisations.listOrganisations, { query: { limit: 1, qualiopiStatus: 'certified' } }),
    enabled: can('organisation.read') && !isPartner,
  });
  const auditCount = useQuery({
    queryKey: ['audit', 'count'],
    queryFn: () => call(audit.listAuditEntries, { query: { limit: 1 } }),
    enabled: can('audit.read'),
  });
  const userCount = useQuery({
    queryKey: ['users', 'count'],
    queryFn: () => call(users.listUsers, { query: { limit: 1 } }),
    enabled: can('user.read'),
  });

  const cards: ReactNode[] = [];
  if (can('organisation.read')) {
    cards.push(
      <StatCard
        key="organisations"
        label={isPartner ? t('dashboard.myOrganisationCard') : t('dashboard.organisationsCard')}
        value={organisationCount.data?.total}
        icon={IconNetwork}
        link={{
          to: '/organisations',
          label: isPartner ? t('nav.myOrganisation') : t('dashboard.organisationsLink'),
        }}
      />,
    );
    if (!isPartner) {
      cards.push(
        <StatCard
          key="certified"
          label={t('dashboard.certifiedCard')}
          value={certifiedCount.data?.total}
          icon={IconShieldCheck}
          link={{ to: '/organisations?status=certified', label: t('dashboard.organisationsLink') }}
        />,
      );
    }
  }
  if (can('audit.read')) {
    cards.push(
      <StatCard
        key="audit"
        label={t('dashboard.auditCard')}
        value={auditCount.data?.total}
        icon={IconArchiveLock}
        link={{ to: '/evidence', label: t('dashboard.auditLink') }}
      />,
    );
  }
  if (can('user.read')) {
    cards.push(
      <StatCard
        key="users"
        label={t('dashboard.usersCard')}
        value={userCount.data?.total}
        icon={IconUsers}
        link={{ to: '/admin/users', label: t('dashboard.usersLink') }}
      />,
    );
  }

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={2}>{t('dashboard.greeting', { name: session.user.displayName })}</Title>
        <Text c="dimmed" size="sm">
          {t('dashboard.roleLine', { role: t(`roles.${session.user.role}`) })}
        </Text>
      </Stack>
      {cards.length > 0 && <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>{cards}</SimpleGrid>}
      {can('control.read') && <QualityDashboard />}
      <Paper withBorder p="lg">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <ThemeIcon variant="light" color="gray" size={36} radius="xl">
            <IconInfo size={20} />
          </ThemeIcon>
          <Stack gap={4}>
            <Text fw={600}>{t('dashboard.comingTitle')}</Text>
            <Text size="sm" c="dimmed">
              {t('dashboard.comingText')}
            </Text>
          </Stack>
        </Group>
      </Paper>
    </Stack>
  );
}
