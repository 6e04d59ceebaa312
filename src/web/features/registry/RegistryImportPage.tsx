import {
  Alert,
  Anchor,
  Button,
  FileInput,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { registry } from '../../../core/contracts/index.js';
import { type ErrorCode, errorCodes } from '../../../core/errors.js';
import type { ImportJobView } from '../../../core/registry/registry.schema.js';
import { ApiError, call, isApiError } from '../../api/client.js';
import { useSignedIn } from '../../app/session.js';
import { ErrorAlert, errorMessage } from '../../components/feedback.js';
import { IconAlert, IconCheck } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatNumber } from '../../i18n/format.js';
import { fileSize } from '../evidence/evidence-upload.js';
import { useUrlFilters } from '../network/use-url-filters.js';
import { ImportSummaryGrid } from './ImportSummaryGrid.js';
import { failurePlace } from './registry-labels.js';
import { type UploadProgress, uploadRegistryExport } from './registry-upload.js';

const POLL_MS = 500;

/** A failed job's error as the ApiError the UI's messages know. */
const jobFailure = (error: NonNullable<ImportJobView['error']>) =>
  new ApiError(
    (errorCodes as readonly string[]).includes(error.code) ? (error.code as ErrorCode) : 'internal',
    0,
    error.message,
  );

function Bar({ label, ratio, detail }: { label: string; ratio: number; detail: string }) {
  const percent = Math.round(Math.min(1, Math.max(0, ratio)) * 100);
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm" c="dimmed">
          {detail} · {percent} %
        </Text>
      </Group>
      <Progress value={percent} size="lg" radius="sm" aria-label={label} animated={percent < 100} />
    </Stack>
  );
}

/**
 * Uploads a France Compétences export and follows its import: the browser's upload progress first, then
 * the server's (bytes of the file read, fiches processed), polled from the import job whose id stays in
 * the address (a reload keeps following it). Ends with the import's figures, or with the error naming
 * the file, line and column, the registry left as it was.
 */
export function RegistryImportPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const { params, update } = useUrlFilters();
  const jobId = params.get('job');
  const [file, setFile] = useState<File | null>(null);
  const [siret, setSiret] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [siretError, setSiretError] = useState<string | null>(null);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const abort = useRef<(() => void) | null>(null);
  useEffect(() => () => abort.current?.(), []);

  const job = useQuery({
    queryKey: ['registry', 'import-job', jobId],
    queryFn: () => call(registry.getRegistryImport, { params: { id: jobId ?? '' } }),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data?.status === 'running' || !q.state.data ? POLL_MS : false),
    staleTime: 0,
  });
  const status = job.data?.status;
  useEffect(() => {
    if (status === 'succeeded')
      void queryClient.invalidateQueries({ queryKey: ['registry'], refetchType: 'none' });
  }, [status, queryClient]);

  const size = (bytes: number) => {
    const s = fileSize(bytes, i18n.language);
    return t(`registry.upload.sizes.${s.unit}`, { value: s.value });
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const cleanSiret = siret.replace(/\s/g, '');
    const badSiret = cleanSiret !== '' && !/^\d{14}$/.test(cleanSiret);
    setFileError(file ? null : t('registry.upload.fileRequired'));
    setSiretError(badSiret ? t('registry.upload.certifierSiretInvalid') : null);
    if (!file || badSiret) return;
    setUploadError(null);
    setUpload({ loaded: 0, total: file.size });
    const started = uploadRegistryExport(
      file,
      { certifierSiret: cleanSiret || undefined, csrfToken: session.csrfToken },
      setUpload,
    );
    abort.current = started.abort;
    started.done.then(
      (view) => {
        abort.current = null;
        queryClient.setQueryData(['registry', 'import-job', view.id], view);
        update({ job: view.id });
      },
      (error: unknown) => {
        abort.current = null;
        setUpload(null);
        setUploadError(error);
      },
    );
  };

  const restart = () => {
    setUpload(null);
    setFile(null);
    update({ job: null });
  };

  const uploading = upload !== null && jobId === null;
  const view = job.data;
  const lost = job.error && isApiError(job.error) && job.error.code === 'not_found';

  return (
    <>
      <PageHeader
        title={t('registry.upload.title')}
        subtitle={t('registry.upload.subtitle')}
        back={{ to: '/registry', label: t('registry.upload.back') }}
      />
      <Paper withBorder p="lg" maw={860}>
        {jobId === null && (
          <form onSubmit={handleSubmit} noValidate>
            <Stack gap="md">
              <FileInput
                label={t('registry.upload.file')}
                placeholder={t('registry.upload.filePlaceholder')}
                accept=".xml,.zip,application/xml,text/xml,application/zip"
                value={file}
                onChange={(f) => {
                  setFile(f);
                  setFileError(null);
                }}
                error={fileError}
                disabled={uploading}
                clearable
                withAsterisk
              />
              <TextInput
                label={t('registry.upload.certifierSiret')}
                description={t('registry.upload.certifierSiretHelp')}
                value={siret}
                onChange={(e) => {
                  setSiret(e.currentTarget.value);
                  setSiretError(null);
                }}
                error={siretError}
                disabled={uploading}
                inputMode="numeric"
                maw={320}
              />
              {uploadError !== null && <ErrorAlert error={uploadError} />}
              {uploading && (
                <Bar
                  label={t('registry.upload.uploading')}
                  ratio={upload.total ? upload.loaded / upload.total : 0}
                  detail={t('registry.upload.bytes', {
                    read: size(upload.loaded),
                    total: size(upload.total),
                  })}
                />
              )}
              <Group>
                <Button type="submit" loading={uploading}>
                  {t('registry.upload.start')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}

        {jobId !== null && (
          <Stack gap="md">
            {lost && (
              <Alert color="gray" variant="light" icon={<IconAlert />}>
                {t('registry.upload.lost')}
              </Alert>
            )}
            {job.error && !lost && <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />}
            {view && (
              <>
                <Text fw={600} style={{ wordBreak: 'break-all' }}>
                  {view.fileName}
                </Text>
                <Bar
                  label={t('registry.upload.uploaded')}
                  ratio={1}
                  detail={view.progress.totalBytes ? size(view.progress.totalBytes) : ''}
                />
                <Bar
                  label={t('registry.upload.importing')}
                  ratio={view.status === 'succeeded' ? 1 : view.progress.ratio}
                  detail={`${t('registry.upload.bytes', {
                    read: size(view.progress.bytesRead),
                    total: size(view.progress.totalBytes),
                  })} · ${t('registry.upload.fiches', {
                    count: view.progress.fiches,
                    formatted: formatNumber(view.progress.fiches, i18n.language),
                  })}`}
                />
              </>
            )}
            {view?.status === 'succeeded' && view.summary && (
              <>
                <Alert
                  color="teal"
                  variant="light"
                  icon={<IconCheck />}
                  title={t('registry.upload.succeeded')}
                  role="status"
                >
                  {t('registry.upload.succeededText', {
                    new: formatNumber(view.summary.changes.newFiches, i18n.language),
                    changed: formatNumber(view.summary.changes.changedFiches, i18n.language),
                    unchanged: formatNumber(view.summary.changes.unchangedFiches, i18n.language),
                  })}
                </Alert>
                <ImportSummaryGrid summary={view.summary} />
                <Group>
                  <Anchor component={Link} to={`/registry/imports/${view.summary.runId}`}>
                    {t('registry.upload.seeRun')}
                  </Anchor>
                </Group>
              </>
            )}
            {view?.status === 'failed' && view.error && (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlert />}
                title={t('registry.upload.failed')}
                role="alert"
              >
                <Stack gap={6}>
                  <Text size="sm" fw={600}>
                    {failurePlace(view.error, view.fileName, t)}
                  </Text>
                  <Text size="sm">{errorMessage(jobFailure(view.error), t)}</Text>
                  <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                    {t('registry.upload.technical', { message: view.error.message })}
                  </Text>
                </Stack>
              </Alert>
            )}
            {(view?.status !== 'running' || lost) && (
              <Group>
                <Button variant="light" onClick={restart}>
                  {t('registry.upload.another')}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </Paper>
    </>
  );
}
