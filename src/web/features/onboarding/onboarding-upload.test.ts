import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.js';
import { issuesOf, reportRows } from './onboarding-upload.js';

describe('reportRows', () => {
  it('gives one row per line, with what the import does and every problem found on it', () => {
    const rows = reportRows({
      items: [
        {
          line: 3,
          siret: '73282932000074',
          legalName: 'Formasud',
          organisation: 'created',
          certificationCode: 'RNCP35419',
        },
        {
          line: 2,
          siret: '44306184100047',
          legalName: 'Nord',
          organisation: 'existing',
          certificationCode: null,
        },
      ],
      errors: [
        { line: 4, column: 'SIRET', message: 'invalid SIRET (Luhn checksum)' },
        { line: 4, column: 'Début habilitation', message: 'expected a date' },
        { line: 3, column: 'Code certification', message: 'unknown certification' },
      ],
    });
    expect(rows.map((r) => [r.line, r.legalName, r.issues.length])).toEqual([
      [2, 'Nord', 0],
      [3, 'Formasud', 1],
      [4, null, 2],
    ]);
  });
});

describe('issuesOf', () => {
  it('reads the issues a refused import lists, and nothing from other errors', () => {
    const refused = new ApiError('import_rejected', 422, 'refused', [], {
      errors: [{ line: 2, column: 'SIRET', message: 'invalid' }, { nonsense: true }],
    });
    expect(issuesOf(refused)).toEqual([{ line: 2, column: 'SIRET', message: 'invalid' }]);
    expect(issuesOf(new Error('x'))).toEqual([]);
  });
});
