import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  FileInput,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { declarations } from '../../../core/contracts/index.js';
import type { DeclarationChangeView } from '../../../core/declarations/declaration.schema.js';
import { call, isApiError } from '../../api/client.js';
import { useSession, useSignedIn } from '../../app/session.js';
import { ErrorAlert, PageLoader } from '../../components/feedback.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import type { FieldErrors } from '../../forms/field-errors.js';
import { formatDate, formatSiret } from '../../i18n/format.js';
import { CertificationPicker } from '../certifications/CertificationPicker.js';
import { downloadUrl, uploadEvidenceFile } from '../evidence/evidence-upload.js';
import { networkFieldErrors } from '../network/network-messages.js';
import { DateField, today } from '../network/parts.js';
import { useUrlFilters } from '../network/use-url-filters.js';
import { OrganisationPicker } from '../organisations/OrganisationPicker.js';
import {
  declarationFilterOf,
  exportUrl,
  isMarkable,
  proofOrganisationOf,
  statusQueryOf,
} from './declaration-labels.js';

const PAGE_SIZE = 50;
const uuidLike = /^[0-9a-f-]{36}$/i;
const statusColors = { declared: 'teal', overdue: 'red', due_soon: 'orange', pending: 'blue' } as const;
/** The counters, most urgent first. */
const countOrder = ['overdue', 'due_soon', 'pending', 'declared'] as const;

/**
 * The changes of the habilitated partners' list to declare to France Compétences within two months
 * (décret 2025-500): their deadline, late / due soon / declared, the recording of a filing, and the list to
 * file as CSV or XLSX.
 */
export function DeclarationsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const manage = can('declaration.manage');
  const { params, update, page } = useUrlFilters();
  const filter = declarationFilterOf(params.get('status'));
  const organisationId = uuidLike.test(params.get('organisation') ?? '') ? params.get('organisation') : null;
  const certificationId = uuidLike.test(params.get('certification') ?? '')
    ? params.get('certification')
    : null;
  const [selected, setSelected] = useState<Map<string, DeclarationChangeView>>(new Map());
  const [marking, setMarking] = useState(false);
  const [pendingOnly, setPendingOnly] = useState(true);

  const query = {
    status: statusQueryOf(filter),
    organisationId: organisationId ?? undefined,
    certificationId: certificationId ?? undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: ['declarations', 'changes', query],
    queryFn: () => call(declarations.listDeclarationChanges, { query }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(organisationId || certificationId || (filter !== 'open' && filter !== 'all'));
  const items = list.data?.items ?? [];
  const markable = items.filter(isMarkable);
  const allSelected = markable.length > 0 && markable.every((c) => selected.has(c.changeId));

  const toggle = (change: DeclarationChangeView) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(change.changeId)) next.delete(change.changeId);
      else next.set(change.changeId, change);
      return next;
    });
  const toggleAll = () =>
    setSelected((current) => {
      const next = new Map(current);
      for (const c of markable) {
        if (allSelected) next.delete(c.changeId);
        else next.set(c.changeId, c);
      }
      return next;
    });

  return (
    <>
      <PageHeader
        title={t('declarations.title')}
        subtitle={t('declarations.subtitle')}
        actions={
          manage && (
            <Button disabled={selected.size === 0} onClick={() => setMarking(true)}>
              {selected.size === 0
                ? t('declarations.mark.none')
                : t('declarations.mark.open', { count: selected.size })}
            </Button>
          )
        }
      />
      {list.data && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
          {countOrder.map((s) => (
            <UnstyledButton
              key={s}
              onClick={() => update({ status: s })}
              aria-pressed={filter === s}
              aria-label={`${t(`declarations.counts.${s}`)} : ${list.data.counts[s === 'due_soon' ? 'dueSoon' : s]}`}
            >
              <Paper withBorder p="sm" bg={filter === s ? 'var(--mantine-color-gray-0)' : undefined}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {t(`declarations.counts.${s}`)}
                </Text>
                <Text fz="xl" fw={700} c={statusColors[s]}>
                  {list.data.counts[s === 'due_soon' ? 'dueSoon' : s]}
                </Text>
              </Paper>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      )}
      <Paper withBorder p="md" mb="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <Select
            label={t('declarations.filters.status')}
            data={[
              { value: 'open', label: t('declarations.filters.open') },
              ...countOrder.map((s) => ({ value: s, label: t(`declarations.status.${s}`) })),
              { value: 'all', label: t('declarations.filters.all') },
            ]}
            value={filter}
            onChange={(v) => update({ status: v === 'open' ? null : v })}
            allowDeselect={false}
            w={240}
          />
          <OrganisationPicker
            label={t('declarations.filters.organisation')}
            placeholder={t('declarations.filters.organisationPlaceholder')}
            value={organisationId}
            onChange={(id) => update({ organisation: id })}
          />
          <CertificationPicker
            label={t('habilitations.filters.certification')}
            placeholder={t('habilitations.filters.certificationPlaceholder')}
            value={certificationId}
            onChange={(id) => update({ certification: id })}
          />
          {filtered && (
            <Button
              variant="subtle"
              onClick={() => update({ status: null, organisation: null, certification: null })}
            >
              {t('declarations.filters.clear')}
            </Button>
          )}
        </Group>
      </Paper>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <PageLoader />}
      {list.data && (
        <Paper withBorder style={{ overflow: 'hidden' }} mb="md">
          <Table.ScrollContainer minWidth={900}>
            <Table highlightOnHover aria-label={t('declarations.title')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  {manage && (
                    <Table.Th w={40}>
                      <Checkbox
                        aria-label={t('declarations.selectAll')}
                        checked={allSelected}
                        indeterminate={!allSelected && markable.some((c) => selected.has(c.changeId))}
                        disabled={markable.length === 0}
                        onChange={toggleAll}
                      />
                    </Table.Th>
                  )}
                  <Table.Th>{t('declarations.columns.deadline')}</Table.Th>
                  <Table.Th>{t('declarations.columns.partner')}</Table.Th>
                  <Table.Th>{t('declarations.columns.certification')}</Table.Th>
                  <Table.Th>{t('declarations.columns.change')}</Table.Th>
                  <Table.Th>{t('declarations.columns.value')}</Table.Th>
                  <Table.Th>{t('declarations.columns.declared')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <ChangeRow
                    key={c.changeId}
                    change={c}
                    selectable={manage}
                    selected={selected.has(c.changeId)}
                    onToggle={() => toggle(c)}
                  />
                ))}
                {items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={manage ? 7 : 6}>
                      <Text c="dimmed" ta="center" py="xl">
                        {filter === 'open' && !filtered
                          ? t('declarations.emptyOpen')
                          : t('declarations.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            total={list.data.total}
            limit={PAGE_SIZE}
            page={page}
            onPage={(p) => update({ page: p > 1 ? String(p) : null }, false)}
          />
        </Paper>
      )}
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb={4}>
          {t('declarations.export.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('declarations.export.hint')}
        </Text>
        <Group gap="md" wrap="wrap">
          <Switch
            label={t('declarations.export.pendingOnly')}
            checked={pendingOnly}
            onChange={(e) => setPendingOnly(e.currentTarget.checked)}
          />
          <Button component="a" href={exportUrl('csv', pendingOnly)} download variant="default">
            {t('declarations.export.csv')}
          </Button>
          <Button component="a" href={exportUrl('xlsx', pendingOnly)} download variant="default">
            {t('declarations.export.xlsx')}
          </Button>
        </Group>
      </Paper>
      {manage && (
        <MarkDeclaredModal
          opened={marking}
          changes={[...selected.values()]}
          onClose={() => setMarking(false)}
          onDone={() => {
            setSelected(new Map());
            setMarking(false);
          }}
        />
      )}
    </>
  );
}

function ChangeRow({
  change: c,
  selectable,
  selected,
  onToggle,
}: {
  change: DeclarationChangeView;
  selectable: boolean;
  selected: boolean;
  onToggle: () => void;
}) {
  const { t, i18n } = useTranslation();
  const date = (d: string) => formatDate(d, i18n.language);
  return (
    <Table.Tr>
      {selectable && (
        <Table.Td>
          {isMarkable(c) && (
            <Checkbox
              aria-label={t('declarations.selectOne', {
                name: c.organisationName,
                code: c.certificationCode,
              })}
              checked={selected}
              onChange={onToggle}
            />
          )}
        </Table.Td>
      )}
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Badge color={statusColors[c.status]} variant="light" radius="sm" tt="none">
          {t(`declarations.status.${c.status}`)}
        </Badge>
        <Text size="xs" mt={4}>
          {t('declarations.dueOn', { date: date(c.dueOn) })}
        </Text>
        {c.status !== 'declared' && (
          <Text size="xs" c={c.daysLeft < 0 ? 'red' : 'dimmed'}>
            {c.daysLeft < 0
              ? t('declarations.late', { count: -c.daysLeft })
              : t('declarations.daysLeft', { count: c.daysLeft })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/organisations/${c.organisationId}`} fw={600} size="sm">
          {c.organisationName}
        </Anchor>
        <Text size="xs" c="dimmed" ff="monospace">
          {formatSiret(c.siret)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" fw={500}>
          {c.certificationCode}
        </Text>
        <Text size="xs" c="dimmed" lineClamp={1}>
          {c.certificationTitle}
        </Text>
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/habilitations/${c.habilitationId}`} size="sm" fw={500}>
          {t(`declarations.kind.${c.kind}`)}
        </Anchor>
        <Text size="xs" c="dimmed">
          {c.fromStatus && c.toStatus
            ? `${t(`habilitations.status.${c.fromStatus}`)} → ${t(`habilitations.status.${c.toStatus}`)} · `
            : c.previousScope
              ? `${t(`habilitations.scope.${c.previousScope}`)} → ${t(`habilitations.scope.${c.scope}`)} · `
              : ''}
          {t('declarations.decidedOn', { date: date(c.decidedOn) })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{t(`registry.habilitationTypes.${c.franceCompetencesValue}`)}</Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {c.franceCompetencesValue}
        </Text>
      </Table.Td>
      <Table.Td fz="sm">
        {c.declaredOn ? (
          <>
            <Text size="sm">{t('declarations.declaredOn', { date: date(c.declaredOn) })}</Text>
            {c.declarationReference && (
              <Text size="xs" c="dimmed">
                {t('declarations.reference', { reference: c.declarationReference })}
              </Text>
            )}
            {c.declarationEvidenceId && (
              <Anchor href={downloadUrl(c.declarationEvidenceId)} size="xs">
                {t('declarations.proof')}
              </Anchor>
            )}
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('declarations.notDeclared')}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Records the filing: its day, France Compétences' reference, and optionally a proof file as evidence. */
function MarkDeclaredModal({
  opened,
  changes,
  onClose,
  onDone,
}: {
  opened: boolean;
  changes: DeclarationChangeView[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [declaredOn, setDeclaredOn] = useState<string | null>(today());
  const [reference, setReference] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  // A file already stored by an attempt the server then refused is not uploaded a second time.
  const uploaded = useRef<{ file: File; id: string } | null>(null);

  const reset = () => {
    setDeclaredOn(today());
    setReference('');
    setFile(null);
    setErrors({});
    mark.reset();
  };

  const mark = useMutation({
    mutationFn: async () => {
      let evidenceId: string | null = null;
      if (file) {
        if (uploaded.current?.file === file) evidenceId = uploaded.current.id;
        else {
          const stored = await uploadEvidenceFile(
            file,
            {
              organisationId: proofOrganisationOf(changes),
              description: reference.trim() || t('declarations.mark.title'),
            },
            session.csrfToken,
          );
          uploaded.current = { file, id: stored.id };
          evidenceId = stored.id;
        }
      }
      return call(declarations.markChangesDeclared, {
        body: {
          changeIds: changes.map((c) => c.changeId),
          declaredOn: declaredOn ?? '',
          reference: reference.trim() || null,
          evidenceId,
        },
      });
    },
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: ['declarations'] });
      void queryClient.invalidateQueries({ queryKey: ['evidence'] });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      notifications.show({
        color: 'teal',
        message: t('declarations.mark.done', { count: result.items.length }),
      });
      reset();
      onDone();
    },
    onError: (error) => {
      if (isApiError(error)) setErrors(networkFieldErrors(error.fields, t));
    },
  });

  const handleClose = () => {
    reset();
    onClose();
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!declaredOn) {
      setErrors({ declaredOn: t('validation.required') });
      return;
    }
    mark.mutate();
  };

  return (
    <Modal opened={opened} onClose={handleClose} title={t('declarations.mark.title')} size="lg" centered>
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {mark.error && <ErrorAlert error={mark.error} />}
          <Text size="sm">{t('declarations.mark.intro', { count: changes.length })}</Text>
          <DateField
            label={t('declarations.mark.declaredOn')}
            description={t('declarations.mark.declaredOnHint')}
            value={declaredOn}
            onChange={(v) => {
              setDeclaredOn(v);
              setErrors({});
            }}
            error={errors.declaredOn}
            required
          />
          <TextInput
            label={t('declarations.mark.reference')}
            description={t('declarations.mark.referenceHint')}
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            error={errors.reference}
            maxLength={200}
          />
          <FileInput
            label={t('declarations.mark.proof')}
            description={t('declarations.mark.proofHint')}
            placeholder={t('declarations.mark.proofPlaceholder')}
            value={file}
            onChange={setFile}
            error={errors.evidenceId ?? errors.file}
            clearable
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mark.isPending}>
              {t('declarations.mark.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
