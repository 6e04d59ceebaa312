import { Button, Group, Paper, Select, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { conventions, reports } from '../../../core/contracts/index.js';
import { conventionStatuses } from '../../../core/conventions/convention.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus, IconSearch } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { CreateConventionModal } from './ConventionModals.js';
import { ConventionTable } from './ConventionTable.js';

const PAGE_SIZE = 25;
const uuidLike = /^[0-9a-f-]{36}$/i;

/** Every convention of the network (a partner: its own), by reference, certification and status. */
export function ConventionListPage() {
  const { t } = useTranslation();
  const { can, session } = useSession();
  const isPartner = session?.user.role === 'partner';
  const [creating, { open, close }] = useDisclosure(false);
  const { params, update, page } = useUrlFilters();
  const status = oneOf(conventionStatuses, params.get('status'));
  const certificationId = uuidLike.test(params.get('certification') ?? '')
    ? params.get('certification')
    : null;
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new search term must update the address
  useEffect(() => {
    if ((params.get('q') ?? '') !== debounced) update({ q: debounced || null });
  }, [debounced]);

  const query = {
    q: params.get('q') || undefined,
    status,
    certificationId: certificationId ?? undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: ['conventions', 'list', query],
    queryFn: () => call(conventions.listConventions, { query }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(query.q || status || certificationId);

  return (
    <>
      <PageHeader
        title={t('conventions.title')}
        subtitle={isPartner ? t('conventions.partnerSubtitle') : t('conventions.subtitle')}
        actions={
          <Group gap="sm">
            <ExportButton path={reports.exportConventions.path} query={query} />
            {can('convention.manage') && (
              <Button leftSection={<IconPlus size={16} />} onClick={open}>
                {t('conventions.new')}
              </Button>
            )}
          </Group>
        }
      />
      <Paper withBorder p="md" mb="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <TextInput
            label={t('conventions.searchLabel')}
            placeholder={t('conventions.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            type="search"
            w={240}
          />
          <CertificationPicker
            label={t('habilitations.filters.certification')}
            placeholder={t('habilitations.filters.certificationPlaceholder')}
            value={certificationId}
            onChange={(id) => update({ certification: id })}
          />
          <Select
            label={t('conventions.statusFilter')}
            placeholder={t('conventions.allStatuses')}
            data={conventionStatuses.map((s) => ({ value: s, label: t(`conventions.status.${s}`) }))}
            value={status ?? null}
            onChange={(v) => update({ status: v })}
            clearable
            w={200}
          />
        </Group>
      </Paper>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <ConventionTable
            items={list.data.items}
            hideOrganisation={isPartner}
            empty={filtered ? t('conventions.empty') : t('conventions.emptyAll')}
          />
          <Pager
            total={list.data.total}
            limit={PAGE_SIZE}
            page={page}
            onPage={(p) => update({ page: p > 1 ? String(p) : null }, false)}
          />
        </Paper>
      )}
      {can('convention.manage') && (
        <CreateConventionModal opened={creating} onClose={close} organisationId={null} />
      )}
    </>
  );
}
