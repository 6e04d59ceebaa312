import { describe, expect, it } from 'vitest';
import { exportHref } from './ExportButton.js';

describe('exportHref', () => {
  it('keeps the filters and sort, drops paging and empty values, adds the format', () => {
    const href = exportHref(
      '/api/reports/exports/habilitations',
      { status: 'active', certificationId: undefined, q: '', sort: 'organisation', limit: 25, offset: 50 },
      'csv',
    );
    expect(href).toBe('/api/reports/exports/habilitations?status=active&sort=organisation&format=csv');
  });

  it('encodes values', () => {
    expect(exportHref('/x', { q: 'CONV 1&2' }, 'xlsx')).toBe('/x?q=CONV+1%262&format=xlsx');
  });

  it('asks for the screen language', () => {
    expect(exportHref('/x', {}, 'csv', 'en-GB')).toBe('/x?format=csv&lang=en');
    expect(exportHref('/x', {}, 'csv', 'fr')).toBe('/x?format=csv&lang=fr');
  });
});
