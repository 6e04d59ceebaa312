import { Alert, Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ChainUploadReport } from '../../../core/contracts/chain-uploads.js';
import { certifications } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
import { ErrorAlert } from '../../components/feedback.js';
import { IconCheck } from '../../components/icons.js';
import { translateFieldMessage } from '../../forms/field-errors.js';
import { uploadIssueText } from './upload-issue-text.js';

type AccrochageStatus = 'pending' | 'sent' | 'accepted' | 'rejected';

const accrochageColors: Record<AccrochageStatus, string> = {
  pending: 'gray',
  sent: 'blue',
  accepted: 'teal',
  rejected: 'red',
};

export function AccrochageStatusBadge({ status }: { status: AccrochageStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={accrochageColors[status]} variant="light" radius="sm">
      {t(`chain.accrochageStatus.${status}`)}
    </Badge>
  );
}

/** A person as the candidate file names them: « Camille Marie MARTIN (DURAND) ». */
export function personName(p: { firstNames: string; birthName: string; usageName?: string | null }): string {
  return `${p.firstNames} ${p.birthName.toUpperCase()}${p.usageName ? ` (${p.usageName})` : ''}`;
}

/** A certification's code from its id, linking to it (cached: fetched once). */
export function CertificationCode({ id, link = true }: { id: string; link?: boolean }) {
  const certification = useQuery({
    queryKey: ['certifications', 'one', id],
    queryFn: () => call(certifications.getCertification, { params: { id } }),
    staleTime: 5 * 60_000,
  });
  if (!certification.data)
    return (
      <Text size="sm" c="dimmed" ff="monospace">
        {id.slice(0, 8)}
      </Text>
    );
  const label = (
    <Text size="sm" span title={certification.data.title}>
      {certification.data.code}
    </Text>
  );
  return link ? (
    <Anchor component={Link} to={`/certifications/${id}`} size="sm">
      {label}
    </Anchor>
  ) : (
    label
  );
}

/**
 * An API failure, with every field the server named (translated where the message is known). A form passes
 * `shownInline`, the fields whose reason it already shows under their input: they are not repeated here, and
 * the server's (English) detail is not added when every reason is under its field.
 */
export function ProblemAlert({
  error,
  onRetry,
  shownInline = [],
}: {
  error: unknown;
  onRetry?: () => void;
  shownInline?: readonly string[];
}) {
  const { t } = useTranslation();
  const fields = isApiError(error) ? error.fields : [];
  const extra = fields
    .filter((f) => !shownInline.includes(f.field))
    .map((f) => `${f.field} — ${translateFieldMessage(f.message, t)}`);
  if (isApiError(error) && fields.length === 0 && error.detail) extra.push(error.detail);
  return <ErrorAlert error={error} extra={extra} {...(onRetry ? { onRetry } : {})} />;
}

/** The report of an upload: what was (or would be) written, and every error by line and column. */
export function UploadReportView({ report }: { report: ChainUploadReport }) {
  const { t } = useTranslation();
  const ok = report.errors.length === 0;
  const s = report.summary;
  const written =
    report.kind === 'training-sessions'
      ? t('chain.upload.summarySessions', {
          sessions: s.sessions,
          created: s.candidatesCreated,
          reused: s.candidatesReused,
          enrolments: s.enrolments,
        })
      : t('chain.upload.summaryResults', { results: s.results });
  return (
    <Stack gap="sm" data-testid="upload-report">
      <Alert
        color={ok ? (report.committed ? 'teal' : 'blue') : 'red'}
        variant="light"
        icon={ok ? <IconCheck /> : undefined}
        title={
          ok
            ? report.committed
              ? t('chain.upload.committed')
              : t('chain.upload.dryRunOk')
            : t('chain.upload.rejected', { count: report.errors.length })
        }
      >
        <Text size="sm">
          {t('chain.upload.fileRead', {
            file: report.fileName,
            format: report.format.toUpperCase(),
            rows: report.rowCount,
          })}
          {report.encoding ? ` (${report.encoding})` : ''}
        </Text>
        {ok && (
          <Text size="sm">
            {report.committed ? written : t('chain.upload.wouldWrite', { what: written })}
          </Text>
        )}
        {!ok && <Text size="sm">{t('chain.upload.nothingWritten')}</Text>}
      </Alert>
      {!ok && (
        <Table striped withTableBorder data-testid="upload-errors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={80}>{t('chain.upload.line')}</Table.Th>
              <Table.Th w={180}>{t('chain.upload.column')}</Table.Th>
              <Table.Th>{t('chain.upload.message')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.errors.map((e) => (
              <Table.Tr key={`${e.line}-${e.column}-${e.message}`}>
                <Table.Td>{e.line ?? t('chain.upload.wholeFile')}</Table.Td>
                <Table.Td ff="monospace">{e.column ?? t('common.none')}</Table.Td>
                <Table.Td>{uploadIssueText(e, t)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** Two links to a blank template: XLSX (with its help sheet) and CSV UTF-8. */
export function TemplateLinks({ xlsx, csv }: { xlsx: string; csv: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="md">
      <Anchor href={xlsx} download size="sm">
        {t('chain.upload.templateXlsx')}
      </Anchor>
      <Anchor href={csv} download size="sm">
        {t('chain.upload.templateCsv')}
      </Anchor>
    </Group>
  );
}
