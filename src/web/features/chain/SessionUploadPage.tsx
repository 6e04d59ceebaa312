import { Anchor, List, Paper, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../../app/session.js';
import { PageHeader } from '../../components/PageHeader.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { UploadPanel } from './UploadPanel.js';

/**
 * Declares training sessions and their candidates from a file (one row per candidate, the session's columns
 * repeated): checked first (dry run, every row's errors by line and column), then imported all or nothing.
 */
export function SessionUploadPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const queryClient = useQueryClient();
  const isPartner = session?.user.role === 'partner';
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const [created, setCreated] = useState<string[]>([]);
  return (
    <>
      <PageHeader
        title={t('chain.upload.title')}
        subtitle={t('chain.upload.subtitle')}
        back={{ to: '/sessions', label: t('chain.sessions.title') }}
      />
      <Stack gap="md" maw={1000}>
        <Paper withBorder p="md">
          <Text size="sm" fw={600} mb={4}>
            {t('chain.upload.howTitle')}
          </Text>
          <List size="sm" spacing={2}>
            <List.Item>{t('chain.upload.howRows')}</List.Item>
            <List.Item>{t('chain.upload.howChecks')}</List.Item>
            <List.Item>{t('chain.upload.howFormats')}</List.Item>
          </List>
        </Paper>
        {!isPartner && (
          <OrganisationPicker
            label={t('chain.upload.forPartner')}
            value={organisationId}
            onChange={setOrganisationId}
            required
          />
        )}
        <UploadPanel
          kind="training-sessions"
          target={{ organisationId: isPartner ? undefined : (organisationId ?? undefined) }}
          disabled={!isPartner && !organisationId}
          onCommitted={(report) => {
            setCreated(report.trainingSessionIds);
            void queryClient.invalidateQueries({ queryKey: ['training-sessions'] });
          }}
        />
        {created.length > 0 && (
          <Paper withBorder p="md">
            <Text size="sm" fw={600} mb={4}>
              {t('chain.upload.createdSessions', { count: created.length })}
            </Text>
            <List size="sm">
              {created.map((id, i) => (
                <List.Item key={id}>
                  <Anchor component={Link} to={`/sessions/training/${id}`}>
                    {t('chain.upload.sessionLink', { n: i + 1 })}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          </Paper>
        )}
      </Stack>
    </>
  );
}
