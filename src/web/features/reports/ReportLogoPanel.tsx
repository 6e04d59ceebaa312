import { Alert, Button, FileButton, Group, Image, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reports } from '../../../core/contracts/index.js';
import type { ReportLogoView } from '../../../core/contracts/reports.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { formatDateTime } from '../../i18n/format.js';
import { fileSize } from '../evidence/evidence-upload.js';
import { LOGO_MAX_BYTES, logoProblem, reportLogoImageUrl, uploadReportLogo } from './reports-api.js';

const logoKey = ['reports', 'logo'] as const;

/**
 * The certifier's logo printed on every report and on the evidence dossier (administrators only): its
 * preview, and buttons to upload another (PNG or JPEG, at most 2 MiB) or remove it. The server checks the
 * bytes again and records each change in the audit log.
 */
export function ReportLogoPanel() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<'empty' | 'tooLarge' | 'notImage' | null>(null);
  const logo = useQuery({ queryKey: logoKey, queryFn: () => call(reports.getReportLogo) });
  const done = (message: string) => (view: ReportLogoView) => {
    queryClient.setQueryData(logoKey, view);
    notifications.show({ color: 'teal', message });
  };
  const upload = useMutation({
    mutationFn: (file: File) => uploadReportLogo(file, session?.csrfToken ?? ''),
    onSuccess: done(t('reports.logo.saved')),
  });
  const remove = useMutation({
    mutationFn: () => call(reports.deleteReportLogo),
    onSuccess: done(t('reports.logo.removed')),
  });
  const choose = async (file: File | null) => {
    if (!file) return;
    upload.reset();
    const found = await logoProblem(file);
    setProblem(found);
    if (!found) upload.mutate(file);
  };
  const size = (bytes: number) => {
    const s = fileSize(bytes, i18n.language);
    return t(`reports.logo.sizes.${s.unit}`, { value: s.value });
  };
  return (
    <Paper withBorder p="lg" maw={760} mt="lg" aria-labelledby="report-logo-title">
      <Stack gap="md">
        <Title order={4} id="report-logo-title">
          {t('reports.logo.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('reports.logo.help', { max: size(LOGO_MAX_BYTES) })}
        </Text>
        {logo.isPending && <PageLoader />}
        {logo.error && <ErrorAlert error={logo.error} onRetry={() => void logo.refetch()} />}
        {problem && (
          <Alert color="red" role="alert">
            {t(`reports.logo.problem.${problem}`, { max: size(LOGO_MAX_BYTES) })}
          </Alert>
        )}
        {upload.error && <ErrorAlert error={upload.error} />}
        {remove.error && <ErrorAlert error={remove.error} />}
        {logo.data &&
          (logo.data.logo ? (
            <Group align="center" gap="lg">
              <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)">
                <Image
                  src={reportLogoImageUrl(logo.data.logo.sha256)}
                  alt={t('reports.logo.previewAlt')}
                  h={80}
                  w="auto"
                  fit="contain"
                />
              </Paper>
              <Stack gap={2}>
                <Text size="sm">
                  {t(`reports.logo.kind.${logo.data.logo.mediaType === 'image/png' ? 'png' : 'jpeg'}`)} ·{' '}
                  {size(logo.data.logo.sizeBytes)}
                </Text>
                {logo.data.logo.updatedAt && (
                  <Text size="xs" c="dimmed">
                    {t('reports.logo.updatedAt', {
                      at: formatDateTime(logo.data.logo.updatedAt, i18n.language),
                    })}
                  </Text>
                )}
              </Stack>
            </Group>
          ) : (
            <Text size="sm">{t('reports.logo.none')}</Text>
          ))}
        <Group justify="flex-end">
          {logo.data?.logo && (
            <Button
              variant="default"
              color="red"
              onClick={() => {
                setProblem(null);
                remove.mutate();
              }}
              loading={remove.isPending}
            >
              {t('reports.logo.remove')}
            </Button>
          )}
          <FileButton onChange={(file) => void choose(file)} accept="image/png,image/jpeg">
            {(props) => (
              <Button {...props} loading={upload.isPending}>
                {logo.data?.logo ? t('reports.logo.replace') : t('reports.logo.upload')}
              </Button>
            )}
          </FileButton>
        </Group>
      </Stack>
    </Paper>
  );
}
