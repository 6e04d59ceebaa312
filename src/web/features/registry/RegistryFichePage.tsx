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
  Table,
  Text,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { registry, reports } from '../../../core/contracts/index.js';
import type { RegistryFicheDetail } from '../../../core/registry/registry.schema.js';
import { call } from '../../api/client.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconLink } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { formatDate, formatDateTime, formatSiret } from '../../i18n/format.js';
import { InfoItem } from '../network/parts.js';
import { ChangeTable } from './ChangeTable.js';
import { FindingTable } from './FindingTable.js';

type FicheRecordView = RegistryFicheDetail['record'];
const HISTORY_PAGE = 20;
const textKeys = [
  'activities',
  'competences',
  'sectors',
  'jobTypes',
  'regulations',
  'objectives',
  'entryPrerequisites',
  'validationPrerequisites',
  'masteryLevel',
  'partialValidationScope',
  'validityDuration',
  'renewalTerms',
] as const;
const codeKeys = ['formacodes', 'nsf', 'rome', 'idcc', 'ccn'] as const;

function Section({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" mb="md">
        <Title order={4}>{title}</Title>
        {extra}
      </Group>
      {children}
    </Paper>
  );
}

function LongText({ label, value }: { label: string; value: string | null }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text size="sm" c={value ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }}>
        {value ?? t('registry.fiche.notProvided')}
      </Text>
    </Stack>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" size="sm">
      {children}
    </Text>
  );
}

function Registration({ fiche }: { fiche: RegistryFicheDetail }) {
  const { t, i18n } = useTranslation();
  const r = fiche.record;
  const date = (v: string | null) => (v ? formatDate(v, i18n.language) : null);
  const yesNo = (v: boolean | null) => (v === null ? null : v ? t('registry.yes') : t('registry.no'));
  const overseas =
    r.accessibleNewCaledonia === null && r.accessibleFrenchPolynesia === null
      ? null
      : `${yesNo(r.accessibleNewCaledonia) ?? t('common.none')} / ${yesNo(r.accessibleFrenchPolynesia) ?? t('common.none')}`;
  return (
    <Card padding="lg" withBorder>
      <Title order={4} mb="md">
        {t('registry.fiche.registration')}
      </Title>
      <SimpleGrid cols={2} spacing="lg">
        <InfoItem label={t('registry.fiche.level')}>
          {r.levelLabel ?? (r.level === null ? null : String(r.level))}
        </InfoItem>
        <InfoItem label={t('registry.fiche.state')}>{r.state}</InfoItem>
        <InfoItem label={t('registry.fiche.registrationType')}>{r.registrationType}</InfoItem>
        <InfoItem label={t('registry.fiche.abbreviation')}>
          {r.abbreviation ? (r.abbreviation.label ?? r.abbreviation.code) : null}
        </InfoItem>
        <InfoItem label={t('registry.fiche.decidedOn')}>{date(r.decidedOn)}</InfoItem>
        <InfoItem label={t('registry.fiche.effectiveOn')}>{date(r.effectiveOn)}</InfoItem>
        <InfoItem label={t('registry.fiche.publishedOn')}>{date(r.publishedOn)}</InfoItem>
        <InfoItem label={t('registry.fiche.lastOfficialJournalOn')}>{date(r.lastOfficialJournalOn)}</InfoItem>
        <InfoItem label={t('registry.fiche.endsOn')}>{date(r.endsOn)}</InfoItem>
        <InfoItem label={t('registry.fiche.deliveryDeadline')}>{date(r.deliveryDeadline)}</InfoItem>
        <InfoItem label={t('registry.fiche.registrationYears')}>
          {r.registrationYears === null
            ? null
            : t('registry.fiche.registrationYearsValue', { count: r.registrationYears })}
        </InfoItem>
        <InfoItem label={t('registry.fiche.partialValidation')}>{yesNo(r.partialValidation)}</InfoItem>
        <InfoItem label={t('registry.fiche.hasPartners')}>{yesNo(r.hasPartners)}</InfoItem>
        <InfoItem label={t('registry.fiche.overseas')}>{overseas}</InfoItem>
        <InfoItem label={t('registry.fiche.sourceId')}>
          {r.sourceId === null ? null : String(r.sourceId)}
        </InfoItem>
        <InfoItem label={t('registry.fiche.firstImportedAt')}>
          {formatDateTime(fiche.firstImportedAt, i18n.language)}
        </InfoItem>
        <InfoItem label={t('registry.fiche.sourceLine')}>{String(fiche.sourceLine)}</InfoItem>
      </SimpleGrid>
    </Card>
  );
}

function Certifiers({ record }: { record: FicheRecordView }) {
  const { t, i18n } = useTranslation();
  if (!record.certifiers.length) return <Empty>{t('registry.fiche.noCertifiers')}</Empty>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label={t('registry.fiche.certifiers')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('registry.fiche.certifierColumns.name')}</Table.Th>
            <Table.Th>{t('registry.fiche.certifierColumns.siret')}</Table.Th>
            <Table.Th>{t('registry.fiche.certifierColumns.state')}</Table.Th>
            <Table.Th>{t('registry.fiche.certifierColumns.stateChangedOn')}</Table.Th>
            <Table.Th>{t('registry.fiche.certifierColumns.website')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {record.certifiers.map((c) => (
            <Table.Tr key={`${c.siret}-${c.name}`}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {c.name}
                </Text>
                {c.tradeName && (
                  <Text size="xs" c="dimmed">
                    {c.tradeName}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                {c.siret ? formatSiret(c.siret) : t('common.none')}
              </Table.Td>
              <Table.Td>{c.state ?? t('common.none')}</Table.Td>
              <Table.Td>
                {c.stateChangedOn ? formatDate(c.stateChangedOn, i18n.language) : t('common.none')}
              </Table.Td>
              <Table.Td>
                {c.website ? (
                  <Anchor
                    href={/^https?:/.test(c.website) ? c.website : `https://${c.website}`}
                    target="_blank"
                    rel="noreferrer"
                    size="sm"
                  >
                    {c.website}
                  </Anchor>
                ) : (
                  t('common.none')
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function SkillBlocks({ record }: { record: FicheRecordView }) {
  const { t } = useTranslation();
  if (!record.skillBlocks.length) return <Empty>{t('registry.fiche.noSkillBlocks')}</Empty>;
  return (
    <Accordion variant="separated" multiple>
      {record.skillBlocks.map((b) => (
        <Accordion.Item key={b.code} value={b.code}>
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
              <LongText label={t('registry.fiche.competences')} value={b.competences} />
              <LongText label={t('registry.fiche.assessmentRules')} value={b.assessmentRules} />
              {b.entryPrerequisites && (
                <LongText label={t('registry.fiche.entryPrerequisites')} value={b.entryPrerequisites} />
              )}
              {b.validationPrerequisites && (
                <LongText
                  label={t('registry.fiche.validationPrerequisites')}
                  value={b.validationPrerequisites}
                />
              )}
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

function AccessRoutes({ record }: { record: FicheRecordView }) {
  const { t, i18n } = useTranslation();
  if (!record.accessRoutes.length) return <Empty>{t('registry.fiche.noAccessRoutes')}</Empty>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label={t('registry.fiche.accessRoutes')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('registry.fiche.accessRouteColumns.route')}</Table.Th>
            <Table.Th>{t('registry.fiche.accessRouteColumns.open')}</Table.Th>
            <Table.Th>{t('registry.fiche.accessRouteColumns.jury')}</Table.Th>
            <Table.Th>{t('registry.fiche.accessRouteColumns.modifiedOn')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {record.accessRoutes.map((a) => (
            <Table.Tr key={a.route}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {t(`registry.fiche.routes.${a.route}`)}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  SI_JURY_{a.route}
                </Text>
              </Table.Td>
              <Table.Td>
                {a.isOpen === null ? (
                  t('common.none')
                ) : (
                  <Badge color={a.isOpen ? 'teal' : 'gray'} variant="light" radius="sm">
                    {a.isOpen ? t('registry.yes') : t('registry.no')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {a.jury ?? t('common.none')}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {a.modifiedOn ? formatDate(a.modifiedOn, i18n.language) : t('common.none')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Statistics({ record }: { record: FicheRecordView }) {
  const { t } = useTranslation();
  if (!record.statistics.length) return <Empty>{t('registry.fiche.noStatistics')}</Empty>;
  const n = (v: number | null) => (v === null ? t('common.none') : String(v));
  const pct = (v: number | null) =>
    v === null ? t('common.none') : t('registry.fiche.percent', { value: v });
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={t('registry.fiche.statistics')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('registry.fiche.statisticsColumns.year')}</Table.Th>
            <Table.Th>{t('registry.fiche.statisticsColumns.certified')}</Table.Th>
            <Table.Th>{t('registry.fiche.statisticsColumns.certifiedByVae')}</Table.Th>
            <Table.Th>{t('registry.fiche.statisticsColumns.insertionRate6Months')}</Table.Th>
            <Table.Th>{t('registry.fiche.statisticsColumns.jobInsertionRate6Months')}</Table.Th>
            <Table.Th>{t('registry.fiche.statisticsColumns.jobInsertionRate2Years')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {record.statistics.map((s) => (
            <Table.Tr key={s.year}>
              <Table.Td fw={600}>{s.year}</Table.Td>
              <Table.Td>{n(s.certified)}</Table.Td>
              <Table.Td>{n(s.certifiedByVae)}</Table.Td>
              <Table.Td>{pct(s.insertionRate6Months)}</Table.Td>
              <Table.Td>{pct(s.jobInsertionRate6Months)}</Table.Td>
              <Table.Td>{pct(s.jobInsertionRate2Years)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function FicheLinks({ codes }: { codes: readonly string[] }) {
  const { t } = useTranslation();
  if (!codes.length) return <Text c="dimmed">{t('common.none')}</Text>;
  return (
    <Group gap="sm">
      {codes.map((code) => (
        <Anchor key={code} component={Link} to={`/registry/fiches/${code}`} ff="monospace" fw={600}>
          {code}
        </Anchor>
      ))}
    </Group>
  );
}

function DeclaredPartners({ fiche }: { fiche: RegistryFicheDetail }) {
  const { t, i18n } = useTranslation();
  const date = (v: string | null) => (v ? formatDate(v, i18n.language) : t('common.none'));
  if (!fiche.partners.length) return <Empty>{t('registry.fiche.noPartners')}</Empty>;
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table aria-label={t('registry.fiche.partners')} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('registry.fiche.partnerColumns.name')}</Table.Th>
            <Table.Th>{t('registry.fiche.partnerColumns.siret')}</Table.Th>
            <Table.Th>{t('registry.fiche.partnerColumns.type')}</Table.Th>
            <Table.Th>{t('registry.fiche.partnerColumns.state')}</Table.Th>
            <Table.Th>{t('registry.fiche.partnerColumns.activeSince')}</Table.Th>
            <Table.Th>{t('registry.fiche.partnerColumns.stateChangedOn')}</Table.Th>
            <Table.Th>{t('registry.fiche.partnerColumns.line')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fiche.partners.map((p) => (
            <Table.Tr key={`${p.sourceLine}-${p.siret}-${p.habilitationType}`}>
              <Table.Td>
                {p.organisationId ? (
                  <Anchor component={Link} to={`/organisations/${p.organisationId}`} size="sm" fw={500}>
                    {p.name}
                  </Anchor>
                ) : (
                  <Text size="sm">{p.name}</Text>
                )}
              </Table.Td>
              <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                {p.siret ? formatSiret(p.siret) : t('common.none')}
              </Table.Td>
              <Table.Td>{t(`registry.habilitationTypes.${p.habilitationType}`)}</Table.Td>
              <Table.Td>
                <Badge color={p.isActive ? 'teal' : 'gray'} variant="light" radius="sm">
                  {p.state ?? (p.isActive ? t('registry.activeBadge') : t('registry.inactiveBadge'))}
                </Badge>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{date(p.activeSince)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{date(p.stateChangedOn)}</Table.Td>
              <Table.Td>{p.sourceLine}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function History({ code }: { code: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const query = { limit: HISTORY_PAGE, offset: (page - 1) * HISTORY_PAGE };
  const history = useQuery({
    queryKey: ['registry', 'fiche-history', code, query],
    queryFn: () => call(registry.getRegistryFicheHistory, { params: { code }, query }),
    placeholderData: keepPreviousData,
  });
  if (history.error) return <ErrorAlert error={history.error} onRetry={() => void history.refetch()} />;
  if (!history.data) return <PageLoader />;
  return (
    <>
      {history.data.total > 0 && (
        <Group justify="flex-end" mb="xs">
          <ExportButton path={reports.exportRegistryFicheHistory.path.replace(':code', code)} query={{}} />
        </Group>
      )}
      <ChangeTable items={history.data.items} label={t('registry.fiche.history')} />
      <Pager total={history.data.total} limit={HISTORY_PAGE} page={page} onPage={setPage} />
    </>
  );
}

function Findings({ code }: { code: string }) {
  const { t } = useTranslation();
  const query = { code, status: 'open', limit: 50 } as const;
  const findings = useQuery({
    queryKey: ['registry', 'findings', query],
    queryFn: () => call(registry.listRegistryFindings, { query }),
  });
  if (findings.error) return <ErrorAlert error={findings.error} />;
  if (!findings.data) return null;
  if (!findings.data.items.length) return <Empty>{t('registry.fiche.noFindings')}</Empty>;
  return <FindingTable items={findings.data.items} hideFiche />;
}

/**
 * One fiche of the registry with everything a certifier uses: registration, certifiers, skill blocks with
 * competences and assessment rules, access routes (SI_JURY_*), statistics, previous and next fiches, the
 * fiche's texts and classifications, the partners declared to France Compétences, the gaps with Habilis
 * and the history of changes.
 */
export function RegistryFichePage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const fiche = useQuery({
    queryKey: ['registry', 'fiche', code],
    queryFn: () => call(registry.getRegistryFiche, { params: { code } }),
  });
  if (fiche.isPending) return <PageLoader />;
  if (fiche.error) return <ErrorAlert error={fiche.error} onRetry={() => void fiche.refetch()} />;
  const f = fiche.data;
  const r = f.record;
  const texts = textKeys.filter((k) => r.texts[k]);
  const codes = codeKeys.filter((k) => r[k].length);

  return (
    <>
      <PageHeader
        title={
          <>
            <Text span ff="monospace" fw={700} inherit>
              {f.code}
            </Text>{' '}
            — {f.title}
          </>
        }
        badges={
          <>
            <Badge color={f.isActive ? 'teal' : 'gray'} variant="light" size="md" radius="sm">
              {f.isActive ? t('registry.activeBadge') : t('registry.inactiveBadge')}
            </Badge>
            {f.isOwned && (
              <Badge color="indigo" variant="outline" size="md" radius="sm">
                {t('registry.ownedBadge')}
              </Badge>
            )}
          </>
        }
        back={{ to: '/registry', label: t('registry.fiche.back') }}
        actions={
          <>
            {f.certificationId && (
              <Button component={Link} to={`/certifications/${f.certificationId}`} variant="light">
                {t('registry.fiche.workingCopy')}
              </Button>
            )}
            <Button
              component="a"
              href={f.publicUrl}
              target="_blank"
              rel="noreferrer"
              variant="default"
              leftSection={<IconLink size={16} />}
            >
              {t('registry.fiche.publicPage')}
            </Button>
          </>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Registration fiche={f} />
            <Section title={t('registry.fiche.lineage')}>
              <SimpleGrid cols={2}>
                <InfoItem label={t('registry.fiche.predecessors')}>
                  <FicheLinks codes={r.predecessors} />
                </InfoItem>
                <InfoItem label={t('registry.fiche.successors')}>
                  <FicheLinks codes={r.successors} />
                </InfoItem>
              </SimpleGrid>
            </Section>
            {codes.length > 0 && (
              <Section title={t('registry.fiche.codes')}>
                <Stack gap="sm">
                  {codes.map((k) => (
                    <InfoItem key={k} label={t(`registry.fiche.codeLabels.${k}`)}>
                      <Stack gap={2}>
                        {r[k].map((c) => (
                          <Text size="sm" key={c.code}>
                            <Text span ff="monospace" fw={600} size="sm">
                              {c.code}
                            </Text>
                            {c.label ? ` — ${c.label}` : ''}
                          </Text>
                        ))}
                      </Stack>
                    </InfoItem>
                  ))}
                </Stack>
              </Section>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Section title={t('registry.fiche.certifiers')}>
              <Certifiers record={r} />
            </Section>
            <Section
              title={t('registry.fiche.skillBlocks')}
              extra={
                <Text size="sm" c="dimmed">
                  {t('registry.fiche.skillBlocksCount', { count: r.skillBlocks.length })}
                </Text>
              }
            >
              <SkillBlocks record={r} />
            </Section>
            <Section title={t('registry.fiche.accessRoutes')}>
              <AccessRoutes record={r} />
            </Section>
            <Section title={t('registry.fiche.statistics')}>
              <Statistics record={r} />
            </Section>
          </Stack>
        </Grid.Col>
        {texts.length > 0 && (
          <Grid.Col span={12}>
            <Section title={t('registry.fiche.texts')}>
              <Accordion variant="separated" multiple>
                {texts.map((k) => (
                  <Accordion.Item key={k} value={k}>
                    <Accordion.Control>{t(`registry.fiche.textLabels.${k}`)}</Accordion.Control>
                    <Accordion.Panel>
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                        {r.texts[k]}
                      </Text>
                    </Accordion.Panel>
                  </Accordion.Item>
                ))}
              </Accordion>
            </Section>
          </Grid.Col>
        )}
        <Grid.Col span={12}>
          <Section
            title={t('registry.fiche.partners')}
            extra={
              <Text size="sm" c="dimmed">
                {t('registry.fiche.partnersCount', { count: f.partnerCount, active: f.activePartnerCount })}
              </Text>
            }
          >
            <DeclaredPartners fiche={f} />
          </Section>
        </Grid.Col>
        {f.isOwned && (
          <Grid.Col span={12}>
            <Section title={t('registry.fiche.findings')}>
              <Findings code={f.code} />
            </Section>
          </Grid.Col>
        )}
        <Grid.Col span={12}>
          <Section title={t('registry.fiche.history')}>
            <History code={f.code} />
          </Section>
        </Grid.Col>
      </Grid>
    </>
  );
}
