import { Button, Checkbox, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { certifierSettings } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { type FieldErrors, fieldErrorsFromApi } from '../../forms/field-errors.js';
import { formatDateTime } from '../../i18n/format.js';
import { ReportLogoPanel } from '../reports/ReportLogoPanel.js';
import { ProblemAlert } from './parts.js';

/**
 * The certifier's settings (administrators change them; every change goes to the audit log): the identifiers
 * the Caisse des Dépôts gave for the accrochage, and the rule that candidates are assessed after their training.
 */
export function CertifierSettingsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const mayEdit = can('certifier.manage');
  const settings = useQuery({
    queryKey: ['settings', 'certifier'],
    queryFn: () => call(certifierSettings.getCertifierSettings),
  });
  const [clientId, setClientId] = useState('');
  const [contractId, setContractId] = useState('');
  const [depositor, setDepositor] = useState('');
  const [afterTraining, setAfterTraining] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (!settings.data) return;
    setClientId(settings.data.cdcClientId ?? '');
    setContractId(settings.data.cdcContractId ?? '');
    setDepositor(settings.data.cdcDepositorClientId ?? '');
    setAfterTraining(settings.data.assessmentAfterTraining);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      call(certifierSettings.updateCertifierSettings, {
        body: {
          cdcClientId: clientId.trim() || null,
          cdcContractId: contractId.trim() || null,
          cdcDepositorClientId: depositor.trim() || null,
          assessmentAfterTraining: afterTraining,
        },
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['settings', 'certifier'], saved);
      void queryClient.invalidateQueries({ queryKey: ['accrochage'] });
      notifications.show({ color: 'teal', message: t('chain.settings.saved') });
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate();
  };
  if (settings.isPending) return <PageLoader />;
  if (settings.error) return <ProblemAlert error={settings.error} />;
  return (
    <>
      <PageHeader title={t('chain.settings.title')} subtitle={t('chain.settings.subtitle')} />
      <Paper withBorder p="lg" component="form" onSubmit={submit} maw={760} noValidate>
        <Stack gap="md">
          {save.error && <ProblemAlert error={save.error} />}
          <Title order={4}>{t('chain.settings.cdcTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('chain.settings.cdcHelp')}
          </Text>
          <Group align="flex-start" wrap="wrap">
            <TextInput
              label={t('chain.accrochage.clientId')}
              description={t('chain.settings.clientIdHelp')}
              value={clientId}
              onChange={(e) => setClientId(e.currentTarget.value)}
              error={errors.cdcClientId}
              readOnly={!mayEdit}
              w={220}
              name="cdcClientId"
            />
            <TextInput
              label={t('chain.accrochage.contractId')}
              description={t('chain.settings.contractIdHelp')}
              value={contractId}
              onChange={(e) => setContractId(e.currentTarget.value)}
              error={errors.cdcContractId}
              readOnly={!mayEdit}
              w={220}
              name="cdcContractId"
            />
            <TextInput
              label={t('chain.accrochage.depositor')}
              description={t('chain.settings.depositorHelp')}
              value={depositor}
              onChange={(e) => setDepositor(e.currentTarget.value)}
              error={errors.cdcDepositorClientId}
              readOnly={!mayEdit}
              w={220}
              name="cdcDepositorClientId"
            />
          </Group>
          <Title order={4}>{t('chain.settings.rulesTitle')}</Title>
          <Checkbox
            label={t('chain.settings.afterTraining')}
            description={t('chain.settings.afterTrainingHelp')}
            checked={afterTraining}
            onChange={(e) => setAfterTraining(e.currentTarget.checked)}
            disabled={!mayEdit}
          />
          {settings.data.updatedAt && (
            <Text size="xs" c="dimmed">
              {t('chain.settings.updatedAt', { at: formatDateTime(settings.data.updatedAt, i18n.language) })}
            </Text>
          )}
          {mayEdit && (
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending}>
                {t('common.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </Paper>
      {mayEdit && <ReportLogoPanel />}
    </>
  );
}
