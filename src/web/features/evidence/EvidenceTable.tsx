import { Anchor, Button, FileInput, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { EvidenceView } from '../../../core/evidence/evidence.schema.js';
import { useSignedIn } from '../../app/session.js';
import { ErrorAlert } from '../../components/feedback.js';
import { translateOr } from '../../i18n/dynamic.js';
import { formatDateTime } from '../../i18n/format.js';
import { downloadUrl, fileSize, type UploadMeta, uploadEvidenceFile } from './evidence-upload.js';

const linkPaths: Record<string, string> = {
  habilitation: '/habilitations',
  convention: '/conventions',
  certification: '/certifications',
  organisation: '/organisations',
};

export function FileSize({ bytes }: { bytes: number }) {
  const { t, i18n } = useTranslation();
  const size = fileSize(bytes, i18n.language);
  return <>{t(`evidenceFiles.sizes.${size.unit}`, { value: size.value })}</>;
}

/** Evidence files with what each is linked to, its size, its fingerprint, and a download link. */
export function EvidenceTable({ items }: { items: readonly EvidenceView[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label={t('evidenceFiles.title')}>
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            <Table.Th>{t('evidenceFiles.columns.name')}</Table.Th>
            <Table.Th>{t('evidenceFiles.columns.links')}</Table.Th>
            <Table.Th>{t('evidenceFiles.columns.size')}</Table.Th>
            <Table.Th>{t('evidenceFiles.columns.uploadedAt')}</Table.Th>
            <Table.Th>{t('evidenceFiles.columns.sha256')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {e.fileName}
                </Text>
                {e.description && (
                  <Text size="xs" c="dimmed">
                    {e.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {e.links.map((l) => {
                    const label = `${translateOr(t, `evidenceFiles.entities.${l.entityType}`, t('evidenceFiles.entities.other'))}${
                      l.purpose
                        ? ` · ${translateOr(t, `evidenceFiles.purposes.${l.purpose}`, l.purpose)}`
                        : ''
                    }`;
                    const base = linkPaths[l.entityType];
                    const key = `${l.entityType}-${l.entityId}`;
                    return base ? (
                      <Anchor key={key} component={Link} to={`${base}/${l.entityId}`} size="sm">
                        {label}
                      </Anchor>
                    ) : (
                      <Text key={key} size="sm">
                        {label}
                      </Text>
                    );
                  })}
                </Stack>
              </Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                <FileSize bytes={e.sizeBytes} />
              </Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(e.uploadedAt, i18n.language)}
              </Table.Td>
              <Table.Td ff="monospace" fz="xs" c="dimmed" title={e.sha256}>
                {e.sha256.slice(0, 12)}…
              </Table.Td>
              <Table.Td>
                <Button
                  component="a"
                  href={downloadUrl(e.id)}
                  download={e.fileName}
                  size="xs"
                  variant="subtle"
                >
                  {t('evidenceFiles.download')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text c="dimmed" ta="center" py="xl">
                  {t('evidenceFiles.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The upload mutation, shared by the evidence tab and the convention screens. */
export function useEvidenceUpload(onDone?: (saved: EvidenceView) => void) {
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: ({ file, meta }: { file: File; meta: UploadMeta }) =>
      uploadEvidenceFile(file, meta, session.csrfToken),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['evidence'] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      notifications.show({ color: 'teal', message: t('evidenceFiles.uploaded', { name: saved.fileName }) });
      onDone?.(saved);
    },
  });
}

/** Uploads one file for an organisation, optionally linked to what it proves. */
export function UploadEvidenceModal({
  opened,
  onClose,
  meta,
  title,
}: {
  opened: boolean;
  onClose: () => void;
  meta: UploadMeta;
  title?: string;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [description, setDescription] = useState('');
  const [fileError, setFileError] = useState<string | undefined>();
  const handleClose = () => {
    setFile(null);
    setDescription('');
    setFileError(undefined);
    upload.reset();
    onClose();
  };
  const upload = useEvidenceUpload(() => handleClose());
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setFileError(t('evidenceFiles.fileRequired'));
      return;
    }
    upload.mutate({ file, meta: { ...meta, description: description.trim() || undefined } });
  };
  return (
    <Modal
      opened={opened}
      onClose={handleClose}
      title={title ?? t('evidenceFiles.uploadTitle')}
      centered
      size="lg"
    >
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {upload.error && <ErrorAlert error={upload.error} />}
          <FileInput
            label={t('evidenceFiles.file')}
            placeholder={t('evidenceFiles.filePlaceholder')}
            description={t('evidenceFiles.fileHint')}
            value={file}
            onChange={(f) => {
              setFile(f);
              setFileError(undefined);
            }}
            error={fileError}
            required
            clearable
          />
          <TextInput
            label={t('evidenceFiles.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={upload.isPending}>
              {t('evidenceFiles.upload')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
