import { Group, Paper, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { registry, reports } from '../../../core/contracts/index.js';
import { reconciliationRules } from '../../../core/registry/reconcile.js';
import { call } from '../../api/client.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { Pager } from '../../components/Pager.js';
import { oneOf, useUrlFilters } from '../network/use-url-filters.js';
import { FindingTable } from './FindingTable.js';
import { RegistryHeader } from './RegistryTabs.js';
import { ruleKey } from './registry-labels.js';

const PAGE_SIZE = 25;
const statuses = ['open', 'closed', 'all'] as const;

/** The gaps between the partners declared to France Compétences and the habilitations of Habilis. */
export function RegistryFindingsPage() {
  const { t } = useTranslation();
  const { params, update, page } = useUrlFilters();
  const status = oneOf(statuses, params.get('status')) ?? 'open';
  const ruleId = oneOf(reconciliationRules, params.get('rule'));
  const query = { status, ruleId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } as const;
  const list = useQuery({
    queryKey: ['registry', 'findings', query],
    queryFn: () => call(registry.listRegistryFindings, { query }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <RegistryHeader section="findings" subtitle={t('registry.findings.subtitle')} />
      <Paper withBorder p="md" mb="md">
        <Group gap="lg" align="flex-end" wrap="wrap">
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('registry.findings.status')}
            </Text>
            <SegmentedControl
              size="sm"
              value={status}
              onChange={(v) => update({ status: v === 'open' ? null : v })}
              aria-label={t('registry.findings.status')}
              data={[
                { value: 'open', label: t('registry.findings.statusOpen') },
                { value: 'closed', label: t('registry.findings.statusClosed') },
                { value: 'all', label: t('registry.findings.statusAll') },
              ]}
            />
          </Stack>
          <Select
            label={t('registry.findings.rule')}
            placeholder={t('registry.findings.allRules')}
            value={ruleId ?? null}
            onChange={(v) => update({ rule: v })}
            clearable
            w={340}
            data={reconciliationRules.map((r) => ({
              value: r,
              label: t(`registry.findings.rules.${ruleKey(r) as 'declared_unknown'}`),
            }))}
          />
          <div style={{ marginLeft: 'auto' }}>
            <ExportButton path={reports.exportRegistryFindings.path} query={query} />
          </div>
        </Group>
      </Paper>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <FindingTable items={list.data.items} />
          <Pager
            total={list.data.total}
            limit={PAGE_SIZE}
            page={page}
            onPage={(p) => update({ page: p > 1 ? String(p) : null }, false)}
          />
        </Paper>
      )}
    </>
  );
}
