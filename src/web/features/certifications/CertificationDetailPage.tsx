import {
  Accordion,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { certifications, habilitations } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate } from '../../i18n/format.js';
import { HabilitationTable } from '../habilitations/HabilitationTable.js';
import { InfoItem } from '../network/parts.js';

function LongText({ label, value }: { label: string; value: string | null }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      {value ? (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {value}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t('certifications.detail.notProvided')}
        </Text>
      )}
    </Stack>
  );
}

function Partners({ certificationId }: { certificationId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const query = { certificationId, limit: 50 };
  const list = useQuery({
    queryKey: ['habilitations', 'list', query],
    queryFn: () => call(habilitations.listHabilitations, { query }),
  });
  return (
    <Card padding={0}>
      <Group justify="space-between" p="lg" pb="sm">
        <Title order={4}>{t('certifications.detail.partners')}</Title>
        <Group gap="sm">
          {list.data && list.data.total > list.data.items.length && (
            <Anchor component={Link} to={`/habilitations?certification=${certificationId}`} size="sm">
              {t('certifications.detail.allPartners')}
            </Anchor>
          )}
          {can('habilitation.manage') && (
            <Button
              component={Link}
              to={`/habilitations/new?certification=${certificationId}`}
              size="xs"
              variant="light"
              leftSection={<IconPlus size={14} />}
            >
              {t('certifications.detail.habilitate')}
            </Button>
          )}
        </Group>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data && (
        <HabilitationTable
          items={list.data.items}
          hideCertification
          empty={t('certifications.detail.noPartners')}
        />
      )}
    </Card>
  );
}

/** One certification: registration, skill blocks with their competences and assessment rules, partners. */
export function CertificationDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const certification = useQuery({
    queryKey: ['certifications', 'one', id],
    queryFn: () => call(certifications.getCertification, { params: { id } }),
  });
  if (certification.isPending) return <PageLoader />;
  if (certification.error)
    return <ErrorAlert error={certification.error} onRetry={() => void certification.refetch()} />;
  const c = certification.data;

  return (
    <>
      <PageHeader
        title={
          <>
            <Text span ff="monospace" fw={700} inherit>
              {c.code}
            </Text>{' '}
            — {c.title}
          </>
        }
        badges={
          <>
            <Badge color={c.isActive ? 'teal' : 'gray'} variant="light" size="md" radius="sm">
              {c.isActive ? t('certifications.activeBadge') : t('certifications.inactiveBadge')}
            </Badge>
            <Badge color="indigo" variant="outline" size="md" radius="sm">
              {c.isOwned ? t('certifications.ownedBadge') : t('certifications.followedBadge')}
            </Badge>
          </>
        }
        back={{ to: '/certifications', label: t('certifications.detail.backToList') }}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Card padding="lg">
            <Title order={4} mb="md">
              {t('certifications.detail.registration')}
            </Title>
            <SimpleGrid cols={2} spacing="lg">
              <InfoItem label={t('certifications.detail.register')}>{c.register}</InfoItem>
              <InfoItem label={t('certifications.detail.level')}>{c.level}</InfoItem>
              <InfoItem label={t('certifications.detail.registeredOn')}>
                {c.registeredOn && formatDate(c.registeredOn, i18n.language)}
              </InfoItem>
              <InfoItem label={t('certifications.detail.endsOn')}>
                {c.endsOn && formatDate(c.endsOn, i18n.language)}
              </InfoItem>
              <InfoItem label={t('certifications.detail.state')}>{c.state}</InfoItem>
            </SimpleGrid>
            <Text size="sm" c="dimmed" mt="lg">
              {c.isOwned ? t('certifications.detail.owned') : t('certifications.detail.followed')}
            </Text>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Paper withBorder p="lg">
            <Group justify="space-between" mb="md">
              <Title order={4}>{t('certifications.detail.skillBlocks')}</Title>
              <Text size="sm" c="dimmed">
                {t('certifications.detail.skillBlocksCount', { count: c.skillBlocks.length })}
              </Text>
            </Group>
            {c.skillBlocks.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('certifications.detail.noSkillBlocks')}
              </Text>
            ) : (
              <Accordion variant="separated" multiple>
                {c.skillBlocks.map((b) => (
                  <Accordion.Item key={b.id} value={b.id}>
                    <Accordion.Control>
                      <Group gap="sm" wrap="nowrap">
                        <Text ff="monospace" size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                          {b.code}
                        </Text>
                        <Text size="sm">{b.title}</Text>
                      </Group>
                    </Accordion.Control>
                    <Accordion.Panel>
                      <Stack gap="md">
                        <LongText label={t('certifications.detail.competences')} value={b.competences} />
                        <LongText
                          label={t('certifications.detail.assessmentRules')}
                          value={b.assessmentRules}
                        />
                      </Stack>
                    </Accordion.Panel>
                  </Accordion.Item>
                ))}
              </Accordion>
            )}
          </Paper>
        </Grid.Col>
        {can('habilitation.read') && (
          <Grid.Col span={12}>
            <Partners certificationId={c.id} />
          </Grid.Col>
        )}
      </Grid>
    </>
  );
}
