import { Button, Group, Paper, Select, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { partnerRequests, reports } from '../../../core/contracts/index.js';
import {
  type RequestDisplayStatus,
  requestDisplayStatuses,
} from '../../../core/partner-requests/partner-request.schema.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { IconPlus, IconSearch } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import { NewRequestModal } from './NewRequestModal.js';
import { RequestTable } from './RequestTable.js';

const PAGE_SIZE = 50;

/** Every request to partners, filtered by status, partner and words of the title; soonest due first. */
export function RequestListPage() {
  const { t } = useTranslation();
  const { can, session } = useSession();
  const isPartner = session?.user.role === 'partner';
  const [params, setParams] = useSearchParams();
  const status = requestDisplayStatuses.find((s) => s === params.get('status'));
  const organisationId = params.get('organisationId') ?? undefined;
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const [creating, { open, close }] = useDisclosure(false);
  const query = {
    status,
    organisationId,
    q: q || undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: ['requests', 'list', query],
    queryFn: () => call(partnerRequests.listRequests, { query }),
    placeholderData: keepPreviousData,
  });
  const setFilter = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setPage(1);
  };

  return (
    <>
      <PageHeader
        title={t('portal.requests.title')}
        subtitle={isPartner ? t('portal.requests.subtitlePartner') : t('portal.requests.subtitle')}
        actions={
          <Group gap="sm">
            <ExportButton path={reports.exportPartnerRequests.path} query={query} />
            {can('request.manage') && (
              <Button leftSection={<IconPlus size={16} />} onClick={open}>
                {t('portal.requests.new')}
              </Button>
            )}
          </Group>
        }
      />
      <Paper withBorder p="md" mb="md">
        <Group align="flex-end" gap="md">
          <Select
            label={t('portal.requests.columns.status')}
            placeholder={t('portal.requests.allStatuses')}
            clearable
            data={requestDisplayStatuses.map((s) => ({ value: s, label: t(`portal.requests.status.${s}`) }))}
            value={status ?? null}
            onChange={(v) => setFilter('status', v as RequestDisplayStatus | null)}
            w={220}
          />
          {!isPartner && (
            <OrganisationPicker
              label={t('portal.requests.fields.organisation')}
              value={organisationId ?? null}
              onChange={(id) => setFilter('organisationId', id)}
            />
          )}
          <TextInput
            label={t('portal.requests.search')}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            type="search"
            w={280}
          />
        </Group>
      </Paper>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <RequestTable
            items={list.data.items}
            showOrganisation={!isPartner}
            emptyText={t('portal.requests.empty')}
          />
          <Pager total={list.data.total} limit={PAGE_SIZE} page={page} onPage={setPage} />
        </Paper>
      )}
      {can('request.manage') && <NewRequestModal opened={creating} onClose={close} />}
    </>
  );
}
