import { declarations } from '../../../core/contracts/index.js';
import type { DeclarationStatus } from '../../../core/declarations/declaration.js';
import { declarationStatuses } from '../../../core/declarations/declaration.js';
import type { DeclarationChangeView } from '../../../core/declarations/declaration.schema.js';

/** The status filter of the page: one status, every change not declared yet (`open`), or everything. */
export type DeclarationFilter = DeclarationStatus | 'open' | 'all';

/** The filter named in the address; `open` when none or an unknown one is named (what is left to do). */
export function declarationFilterOf(raw: string | null): DeclarationFilter {
  if (raw === 'all' || raw === 'open') return raw;
  return (declarationStatuses as readonly (string | null)[]).includes(raw)
    ? (raw as DeclarationStatus)
    : 'open';
}

/** The API's `status` query for a filter: `all` sends none. */
export const statusQueryOf = (filter: DeclarationFilter): DeclarationStatus | 'open' | undefined =>
  filter === 'all' ? undefined : filter;

/** The address of the list to declare (one row per partner × certification) as CSV or XLSX. */
export function exportUrl(format: 'csv' | 'xlsx', pendingOnly: boolean): string {
  const search = new URLSearchParams({ format, pendingOnly: String(pendingOnly) });
  return `${declarations.exportDeclaredPartners.path}?${search.toString()}`;
}

/** Only changes not declared yet can be marked declared. */
export const isMarkable = (change: Pick<DeclarationChangeView, 'status'>): boolean =>
  change.status !== 'declared';

/**
 * The organisation the proof of filing belongs to: the one partner of the selected changes, or none when
 * they span several partners (the proof is then the certifier's own file).
 */
export function proofOrganisationOf(
  changes: readonly Pick<DeclarationChangeView, 'organisationId'>[],
): string | undefined {
  const ids = new Set(changes.map((c) => c.organisationId));
  return ids.size === 1 ? [...ids][0] : undefined;
}
