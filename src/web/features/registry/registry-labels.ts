import type { TFunction } from 'i18next';
import type { FicheChangeView, ImportJobView } from '../../../core/registry/registry.schema.js';
import { formatDate } from '../../i18n/format.js';

/** Badge colours of the history's change kinds. */
export const changeKindColors: Record<FicheChangeView['kind'], string> = {
  new: 'teal',
  changed: 'blue',
  became_inactive: 'gray',
  became_active: 'teal',
  partner_added: 'indigo',
  partner_removed: 'orange',
  partner_changed: 'violet',
};

/** A registry finding's rule id (`registry.declared_unknown`) as its message key (`declared_unknown`). */
export const ruleKey = (ruleId: string) => ruleId.replace(/^registry\./, '');

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** One value of a change as a short text: dates in the UI language, lists by their size, empties named. */
export function changeValue(value: unknown, t: TFunction<'translation'>, language: string): string {
  if (value === null || value === undefined || value === '') return t('registry.changes.noValue');
  if (isDate(value)) return formatDate(value, language);
  if (typeof value === 'boolean') return value ? t('registry.yes') : t('registry.no');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value))
    return value.length === 0
      ? t('registry.changes.noValue')
      : value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(', ');
  const object = value as Record<string, unknown>;
  if (typeof object.items === 'number') return `[${object.items}]`;
  return JSON.stringify(value);
}

const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The lines that tell what one history row says, in the UI language: the title of a new fiche, each
 * changed field with its before and after, the end date of a fiche that became inactive, the partner and
 * what changed of it.
 */
export function describeChange(
  change: Pick<FicheChangeView, 'kind' | 'details'>,
  t: TFunction<'translation'>,
  language: string,
): string[] {
  const d = change.details;
  const value = (v: unknown) => changeValue(v, t, language);
  switch (change.kind) {
    case 'new':
      return typeof d.title === 'string' ? [t('registry.changes.newTitle', { title: d.title })] : [];
    case 'became_inactive':
    case 'became_active':
      return isDate(d.endsOn) ? [t('registry.changes.endsOn', { date: formatDate(d.endsOn, language) })] : [];
    case 'changed':
      return listOf(d.fields).map((raw) => {
        const f = raw as { field?: unknown; before?: unknown; after?: unknown };
        const field = String(f.field ?? '');
        const after = f.after as { added?: unknown; removed?: unknown; changed?: unknown } | null;
        if ((field === 'skillBlocks' || field === 'certifiers') && after && typeof after === 'object')
          return t('registry.changes.listChange', {
            field,
            added: listOf(after.added).join(', ') || '0',
            removed: listOf(after.removed).join(', ') || '0',
            changed: listOf(after.changed).join(', ') || '0',
          });
        return t('registry.changes.field', { field, before: value(f.before), after: value(f.after) });
      });
    default: {
      const type =
        typeof d.habilitationType === 'string'
          ? t(`registry.habilitationTypes.${d.habilitationType as 'HABILITATION_FORMER'}`, {
              defaultValue: d.habilitationType,
            })
          : '';
      const lines = [
        t('registry.changes.partner', {
          name: typeof d.name === 'string' ? d.name : '?',
          siret: typeof d.siret === 'string' ? d.siret : t('registry.changes.noValue'),
          type,
        }),
      ];
      if (change.kind !== 'partner_changed' && d.state !== undefined)
        lines.push(t('registry.changes.partnerState', { state: value(d.state) }));
      const changes = d.changes as Record<string, { before?: unknown; after?: unknown }> | undefined;
      if (changes && typeof changes === 'object')
        for (const [field, c] of Object.entries(changes))
          lines.push(
            t('registry.changes.field', { field, before: value(c?.before), after: value(c?.after) }),
          );
      return lines;
    }
  }
}

/** Where a failed import stopped, from the error's details: file, line and column, zip entry. */
export function failurePlace(
  error: NonNullable<ImportJobView['error']>,
  fallbackFile: string,
  t: TFunction<'translation'>,
): string {
  const details = error.details ?? {};
  const file = typeof details.file === 'string' ? details.file : fallbackFile;
  const line = typeof details.line === 'number' ? details.line : undefined;
  const column = typeof details.column === 'number' ? details.column : undefined;
  const where =
    line === undefined
      ? t('registry.upload.failedWhere', { file })
      : column === undefined
        ? t('registry.upload.failedWhereLine', { file, line })
        : t('registry.upload.failedWhereLineColumn', { file, line, column });
  return typeof details.entry === 'string'
    ? `${where} ${t('registry.upload.failedEntry', { entry: details.entry })}`
    : where;
}
