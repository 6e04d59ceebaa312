import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CertificateView, Disclosure } from '../../../core/certificates/certificate.schema.js';
import { certificates, reports } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { type FieldErrors, fieldErrorsFromApi } from '../../forms/field-errors.js';
import { formatDate } from '../../i18n/format.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { useUrlFilters } from '../network/use-url-filters.js';
import { certificatePdfUrl } from './chain-api.js';
import { AccrochageStatusBadge, ProblemAlert } from './parts.js';

const PAGE_SIZE = 25;
const uuidLike = /^[0-9a-f-]{36}$/i;

/**
 * What the public verification page shows of the holder: initials by default, the full name only with the
 * holder's consent, recorded with how it was given (`PUT /api/certificates/:id/disclosure`, audited).
 */
function DisclosureModal({ certificate, onClose }: { certificate: CertificateView; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [disclosure, setDisclosure] = useState<Disclosure>(certificate.disclosure);
  const [consent, setConsent] = useState(certificate.disclosureConsent ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: () =>
      call(certificates.setCertificateDisclosure, {
        params: { id: certificate.id },
        body: { disclosure, consent: disclosure === 'full_name' ? consent.trim() || null : null },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
      notifications.show({ color: 'teal', message: t('chain.certificate.disclosure.saved') });
      onClose();
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('chain.certificate.disclosure.title', { number: certificate.number })}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.error && <ProblemAlert error={save.error} />}
          <Text size="sm" c="dimmed">
            {t('chain.certificate.disclosure.help')}
          </Text>
          <SegmentedControl
            value={disclosure}
            onChange={(v) => setDisclosure(v as Disclosure)}
            data={[
              { value: 'initials', label: t('chain.certificate.disclosure.initials') },
              { value: 'full_name', label: t('chain.certificate.disclosure.full_name') },
            ]}
            w="fit-content"
          />
          {disclosure === 'full_name' && (
            <Textarea
              label={t('chain.certificate.disclosure.consent')}
              description={t('chain.certificate.disclosure.consentHelp')}
              value={consent}
              onChange={(e) => setConsent(e.currentTarget.value)}
              error={errors.consent ? t('chain.certificate.disclosure.consentRequired') : undefined}
              required
              autosize
              minRows={2}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RevokeModal({ certificate, onClose }: { certificate: CertificateView; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const revoke = useMutation({
    mutationFn: () =>
      call(certificates.revokeCertificate, { params: { id: certificate.id }, body: { reason } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
      notifications.show({
        color: 'teal',
        message: t('chain.certificate.revokedOne', { number: certificate.number }),
      });
      onClose();
    },
    onError: (error) => setErrors(isApiError(error) ? fieldErrorsFromApi(error, t) : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    revoke.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('chain.certificate.revokeTitle', { number: certificate.number })}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {revoke.error && <ProblemAlert error={revoke.error} />}
          <Textarea
            label={t('chain.certificate.reason')}
            description={t('chain.certificate.reasonHelp')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.reason}
            autosize
            minRows={3}
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={revoke.isPending}>
              {t('chain.certificate.revoke')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The certificates issued (a partner: its candidates'), with their PDF and their accrochage status. */
export function CertificateListPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { params, update, page } = useUrlFilters();
  const [disclosing, setDisclosing] = useState<CertificateView | null>(null);
  const [revoking, setRevoking] = useState<CertificateView | null>(null);
  const certificationId = uuidLike.test(params.get('certification') ?? '')
    ? params.get('certification')
    : null;
  const yearText = params.get('year') ?? '';
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
  const query = {
    certificationId: certificationId ?? undefined,
    year,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: ['certificates', 'list', query],
    queryFn: () => call(certificates.listCertificates, { query }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title={t('chain.certificate.listTitle')}
        subtitle={t('chain.certificate.listSubtitle')}
        actions={
          <Group gap="sm">
            <ExportButton path={reports.exportCertificates.path} query={query} />
            {can('certificate.manage') && (
              <Button component={Link} to="/accrochage" variant="default">
                {t('nav.accrochage')}
              </Button>
            )}
          </Group>
        }
      />
      <Paper withBorder p="md" mb="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <CertificationPicker
            label={t('chain.filters.certification')}
            placeholder={t('chain.filters.allCertifications')}
            value={certificationId}
            onChange={(id) => update({ certification: id })}
          />
          <NumberInput
            label={t('chain.filters.year')}
            value={year ?? ''}
            onChange={(v) => update({ year: v === '' ? null : String(v) })}
            min={2000}
            max={2100}
            w={120}
            hideControls
          />
        </Group>
      </Paper>
      {list.error && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table striped highlightOnHover data-testid="certificates">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('chain.certificate.number')}</Table.Th>
                <Table.Th>{t('chain.certificate.holder')}</Table.Th>
                <Table.Th>{t('chain.certificate.certification')}</Table.Th>
                <Table.Th>{t('chain.certificate.issuedOn')}</Table.Th>
                <Table.Th>{t('chain.certificate.accrochage')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" ta="center" py="md">
                      {t('chain.certificate.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.data.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor href={certificatePdfUrl(c.id)} ff="monospace" size="sm">
                      {c.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{c.holderName}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.certificationCode}</Text>
                    {c.skillBlocks.length > 0 && (
                      <Text size="xs" c="dimmed">
                        {t('chain.certificate.blocks', {
                          blocks: c.skillBlocks.map((b) => b.code).join(', '),
                        })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDate(c.issuedOn, i18n.language)}</Table.Td>
                  <Table.Td>
                    {c.revokedAt ? (
                      <Badge color="red" variant="light" radius="sm" title={c.revocationReason ?? undefined}>
                        {t('chain.certificate.revoked')}
                      </Badge>
                    ) : (
                      <Stack gap={2}>
                        <AccrochageStatusBadge status={c.accrochageStatus} />
                        {c.accrochageMessage && (
                          <Text size="xs" c="red">
                            {c.accrochageMessage}
                          </Text>
                        )}
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {can('certificate.manage') && !c.revokedAt && (
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => setDisclosing(c)}
                          title={t(`chain.certificate.disclosure.${c.disclosure}`)}
                          data-testid={`disclosure-${c.number}`}
                        >
                          {t('chain.certificate.disclosure.button')}
                        </Button>
                        <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(c)}>
                          {t('chain.certificate.revoke')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Pager
            total={list.data.total}
            limit={PAGE_SIZE}
            page={page}
            onPage={(p) => update({ page: p > 1 ? String(p) : null }, false)}
          />
        </Paper>
      )}
      {revoking && <RevokeModal certificate={revoking} onClose={() => setRevoking(null)} />}
      {disclosing && <DisclosureModal certificate={disclosing} onClose={() => setDisclosing(null)} />}
    </>
  );
}
