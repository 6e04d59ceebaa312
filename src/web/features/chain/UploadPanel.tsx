import { Button, FileInput, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChainUploadReport, UploadKind } from '../../../core/contracts/chain-uploads.js';
import { useSignedIn } from '../../app/session.js';
import { type ChainUploadTarget, templateUrl, uploadChainFile } from './chain-api.js';
import { ProblemAlert, TemplateLinks, UploadReportView } from './parts.js';

/**
 * Upload of a declaration file: « Vérifier » runs the dry run (every row checked, nothing written), « Importer »
 * the real run (all or nothing). The report lists each error with its line and column.
 */
export function UploadPanel({
  kind,
  target,
  disabled,
  onCommitted,
}: {
  kind: UploadKind;
  target: Omit<ChainUploadTarget, 'kind' | 'dryRun'>;
  disabled?: boolean;
  onCommitted?: (report: ChainUploadReport) => void;
}) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ChainUploadReport | null>(null);
  const upload = useMutation({
    mutationFn: ({ dryRun }: { dryRun: boolean }) =>
      uploadChainFile(file as File, { kind, dryRun, ...target }, session.csrfToken),
    onSuccess: (result) => {
      setReport(result);
      if (result.committed) {
        notifications.show({ color: 'teal', message: t('chain.upload.committed') });
        onCommitted?.(result);
      }
    },
    onError: () => setReport(null),
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <FileInput
            label={t(`chain.upload.fileLabel.${kind}`)}
            description={t('chain.upload.fileHelp')}
            placeholder={t('chain.upload.choose')}
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={(f) => {
              setFile(f);
              setReport(null);
            }}
            clearable
            w={420}
            data-testid={`upload-file-${kind}`}
          />
          <TemplateLinks xlsx={templateUrl(kind, 'xlsx')} csv={templateUrl(kind, 'csv')} />
        </Group>
        <Group>
          <Button
            variant="default"
            disabled={!file || disabled}
            loading={upload.isPending && upload.variables?.dryRun === true}
            onClick={() => upload.mutate({ dryRun: true })}
          >
            {t('chain.upload.check')}
          </Button>
          <Button
            disabled={!file || disabled}
            loading={upload.isPending && upload.variables?.dryRun === false}
            onClick={() => upload.mutate({ dryRun: false })}
          >
            {t('chain.upload.import')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('chain.upload.allOrNothing')}
          </Text>
        </Group>
        {upload.error && <ProblemAlert error={upload.error} />}
        {report && <UploadReportView report={report} />}
      </Stack>
    </Paper>
  );
}
