import { describe, expect, it } from 'vitest';
import { formatDate, formatSiren, formatSiret } from './format.js';

describe('formats', () => {
  it('groups a SIRET as SIREN in threes, then the establishment number', () => {
    expect(formatSiret('73282932000074')).toBe('732 829 320 00074');
    expect(formatSiren('732829320')).toBe('732 829 320');
    expect(formatSiret('not a siret')).toBe('not a siret');
  });

  it('shows a calendar date as that day, whatever the time zone', () => {
    expect(formatDate('2026-12-31', 'fr')).toBe('31 déc. 2026');
    expect(formatDate('2026-01-01', 'en')).toBe('1 Jan 2026');
    expect(formatDate(null, 'fr')).toBe('');
  });
});
