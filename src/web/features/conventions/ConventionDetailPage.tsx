import { Anchor, Button, Card, Grid, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { conventions, evidence, reports } from '../../../core/contracts/index.js';
import { canSignConvention, canTerminateConvention } from '../../../core/conventions/convention.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { translateOr } from '../../i18n/dynamic.js';
import { formatDate } from '../../i18n/format.js';
import { EvidenceTable, UploadEvidenceModal } from '../evidence/EvidenceTable.js';
import { ConventionStatusBadge, formatPeriod, InfoItem } from '../network/parts.js';
import { RequestsPanel } from '../portal/RequestsPanel.js';
import { SignConventionModal, TerminateConventionModal } from './ConventionModals.js';
import { formatCents } from './convention-form.js';

function Documents({ conventionId, organisationId }: { conventionId: string; organisationId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [uploading, { open, close }] = useDisclosure(false);
  // Annexes (price list, programme, list of sites…) are evidence of the convention too, told apart by purpose.
  const [annexing, annex] = useDisclosure(false);
  const query = { entityType: 'convention' as const, entityId: conventionId, limit: 50 };
  const files = useQuery({
    queryKey: ['evidence', 'list', query],
    queryFn: () => call(evidence.listEvidence, { query }),
    enabled: can('evidence.read'),
  });
  if (!can('evidence.read')) return null;
  return (
    <Card padding={0}>
      <Group justify="space-between" p="lg" pb="sm">
        <Title order={4}>{t('conventions.detail.document')}</Title>
        <Group gap="xs">
          <ExportButton path={reports.exportEvidence.path} query={query} />
          {can('evidence.upload') && (
            <>
              <Button size="xs" variant="default" onClick={annex.open}>
                {t('conventions.detail.uploadAnnex')}
              </Button>
              <Button size="xs" variant="light" onClick={open}>
                {t('conventions.detail.uploadDocument')}
              </Button>
            </>
          )}
        </Group>
      </Group>
      {files.error && <ErrorAlert error={files.error} />}
      {files.data && <EvidenceTable items={files.data.items} />}
      <UploadEvidenceModal
        opened={uploading}
        onClose={close}
        title={t('conventions.detail.uploadDocument')}
        meta={{
          organisationId,
          entityType: 'convention',
          entityId: conventionId,
          purpose: 'signed_convention',
        }}
      />
      <UploadEvidenceModal
        opened={annexing}
        onClose={annex.close}
        title={t('conventions.detail.uploadAnnex')}
        meta={{
          organisationId,
          entityType: 'convention',
          entityId: conventionId,
          purpose: 'convention_annex',
        }}
      />
    </Card>
  );
}

/** One convention: its terms, clauses, signature or termination, its documents, and what can be done next. */
export function ConventionDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [signing, sign] = useDisclosure(false);
  const [terminating, terminate] = useDisclosure(false);
  const convention = useQuery({
    queryKey: ['conventions', 'one', id],
    queryFn: () => call(conventions.getConvention, { params: { id } }),
  });
  if (convention.isPending) return <PageLoader />;
  if (convention.error)
    return <ErrorAlert error={convention.error} onRetry={() => void convention.refetch()} />;
  const c = convention.data;
  const mayManage = can('convention.manage');
  const clauses = Object.entries(c.clauses);

  return (
    <>
      <PageHeader
        title={c.reference}
        badges={<ConventionStatusBadge status={c.status} size="lg" />}
        subtitle={`${c.organisationName} · ${t('conventions.version', { version: c.version })}`}
        back={{ to: '/conventions', label: t('conventions.detail.backToList') }}
        actions={
          mayManage && (
            <>
              {canTerminateConvention(c.status) && (
                <Button variant="default" color="red" onClick={terminate.open}>
                  {t('conventions.terminate.action')}
                </Button>
              )}
              {canSignConvention(c.status) && (
                <Button onClick={sign.open}>{t('conventions.sign.action')}</Button>
              )}
            </>
          )
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Card padding="lg">
              <Title order={4} mb="md">
                {t('conventions.detail.terms')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
                <InfoItem label={t('conventions.detail.partner')}>
                  {can('organisation.read') ? (
                    <Anchor component={Link} to={`/organisations/${c.organisationId}`}>
                      {c.organisationName}
                    </Anchor>
                  ) : (
                    c.organisationName
                  )}
                </InfoItem>
                <InfoItem label={t('conventions.detail.period')}>
                  {formatPeriod(c.startsOn, c.endsOn, t, i18n.language)}
                </InfoItem>
                <InfoItem label={t('conventions.detail.feePerCandidate')}>
                  {formatCents(c.feePerCandidateCents, i18n.language)}
                </InfoItem>
                <InfoItem label={t('conventions.detail.annualFee')}>
                  {formatCents(c.annualFeeCents, i18n.language)}
                </InfoItem>
                <InfoItem label={t('conventions.detail.signedOn')}>
                  {c.signedOn ? (
                    formatDate(c.signedOn, i18n.language)
                  ) : (
                    <Text c="dimmed">{t('conventions.detail.notSigned')}</Text>
                  )}
                </InfoItem>
                <InfoItem label={t('conventions.detail.certifications')}>
                  <Stack gap={4}>
                    {c.certifications.map((x) => (
                      <Anchor key={x.id} component={Link} to={`/certifications/${x.id}`} size="sm">
                        <Text span ff="monospace" fw={600} inherit>
                          {x.code}
                        </Text>{' '}
                        — {x.title}
                      </Anchor>
                    ))}
                  </Stack>
                </InfoItem>
              </SimpleGrid>
              {c.terminatedOn && (
                <Stack gap={4} mt="lg">
                  <Text fw={600} c="red.7">
                    {t('conventions.detail.terminatedOn', {
                      date: formatDate(c.terminatedOn, i18n.language),
                    })}
                  </Text>
                  {c.terminationReasons && (
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {c.terminationReasons}
                    </Text>
                  )}
                </Stack>
              )}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card padding="lg">
            <Title order={4} mb="md">
              {t('conventions.detail.clauses')}
            </Title>
            {clauses.length === 0 ? (
              <Text c="dimmed">{t('conventions.detail.noClauses')}</Text>
            ) : (
              <Stack gap="md">
                {clauses.map(([key, value]) => (
                  <InfoItem key={key} label={translateOr(t, `conventions.clauses.${key}`, key)}>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {typeof value === 'string' ? value : JSON.stringify(value, null, 2)}
                    </Text>
                  </InfoItem>
                ))}
              </Stack>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={12}>
          <Documents conventionId={c.id} organisationId={c.organisationId} />
        </Grid.Col>
        {can('request.read') && (
          <Grid.Col span={12}>
            <RequestsPanel organisationId={c.organisationId} about={{ conventionId: c.id }} />
          </Grid.Col>
        )}
      </Grid>
      {mayManage && <SignConventionModal convention={c} opened={signing} onClose={sign.close} />}
      {mayManage && (
        <TerminateConventionModal convention={c} opened={terminating} onClose={terminate.close} />
      )}
    </>
  );
}
