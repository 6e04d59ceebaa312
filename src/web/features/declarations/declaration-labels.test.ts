import { describe, expect, it } from 'vitest';
import {
  declarationFilterOf,
  exportUrl,
  isMarkable,
  proofOrganisationOf,
  statusQueryOf,
} from './declaration-labels.js';

describe('declarations page helpers', () => {
  it('reads the status filter from the address, defaulting to what is left to declare', () => {
    expect(declarationFilterOf(null)).toBe('open');
    expect(declarationFilterOf('overdue')).toBe('overdue');
    expect(declarationFilterOf('declared')).toBe('declared');
    expect(declarationFilterOf('all')).toBe('all');
    expect(declarationFilterOf('late')).toBe('open');
    expect(statusQueryOf('all')).toBeUndefined();
    expect(statusQueryOf('due_soon')).toBe('due_soon');
  });

  it('names the export format and whether only pending pairs are listed', () => {
    expect(exportUrl('xlsx', true)).toBe('/api/declarations/partners/export?format=xlsx&pendingOnly=true');
    expect(exportUrl('csv', false)).toBe('/api/declarations/partners/export?format=csv&pendingOnly=false');
  });

  it('marks only undeclared changes, and files the proof under the one partner they concern', () => {
    expect(isMarkable({ status: 'overdue' })).toBe(true);
    expect(isMarkable({ status: 'declared' })).toBe(false);
    const a = '00000000-0000-4000-8000-00000000000a';
    const b = '00000000-0000-4000-8000-00000000000b';
    expect(proofOrganisationOf([{ organisationId: a }, { organisationId: a }])).toBe(a);
    expect(proofOrganisationOf([{ organisationId: a }, { organisationId: b }])).toBeUndefined();
    expect(proofOrganisationOf([])).toBeUndefined();
  });
});
