import { describe, expect, it } from 'vitest';
import { completeRows, crossRowIssues, mapPartnerRow, parseDateCell } from './map.js';

const SIRET = '55210055400013';

describe('partner-list rows', () => {
  it('reads dates as typed in France, as ISO, as date cells and as Excel serials', () => {
    expect(parseDateCell('31/12/2026')).toEqual({ date: '2026-12-31' });
    expect(parseDateCell('1.2.2026')).toEqual({ date: '2026-02-01' });
    expect(parseDateCell('2026-12-31')).toEqual({ date: '2026-12-31' });
    expect(parseDateCell(new Date(Date.UTC(2026, 0, 15)))).toEqual({ date: '2026-01-15' });
    expect(parseDateCell(46023)).toEqual({ date: '2026-01-01' });
    expect(parseDateCell('30/02/2026')).toHaveProperty('error');
  });

  it('maps a full row, with French words for Qualiopi and scope and a SIRET that lost its zeros', () => {
    const { partner, issues } = mapPartnerRow({
      line: 2,
      cells: {
        siret: '552 100 554 00013',
        legalName: 'Forma',
        postalCode: 6000,
        qualiopiStatus: 'Non certifié',
        certificationCode: 'rncp 123',
        scope: 'Former et évaluer',
        startsOn: '01/01/2026',
      },
    });
    expect(issues).toEqual([]);
    expect(partner?.organisation).toMatchObject({
      siret: SIRET,
      postalCode: '06000',
      qualiopiStatus: 'not_certified',
    });
    expect(partner?.habilitation).toEqual({
      certificationCode: 'RNCP123',
      scope: 'both',
      startsOn: '2026-01-01',
      endsOn: null,
    });
  });

  it('names the column of each problem and requires code, scope and start together', () => {
    const { partner, issues } = mapPartnerRow({
      line: 7,
      cells: { siret: '123', legalName: 'Forma', email: 'x', endsOn: '2026-01-01' },
    });
    expect(partner).toBeNull();
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [7, 'SIRET'],
      [7, 'E-mail'],
      [7, 'Code certification'],
      [7, 'Périmètre'],
      [7, 'Début habilitation'],
    ]);
  });

  it('fills repeated SIRET rows from the first one, and flags rows that disagree', () => {
    const rows = [
      { line: 2, cells: { siret: SIRET, legalName: 'Forma', city: 'Lyon' } },
      {
        line: 3,
        cells: { siret: SIRET, certificationCode: 'RNCP1', scope: 'former', startsOn: '2026-01-01' },
      },
      { line: 4, cells: { siret: SIRET, city: 'Paris' } },
    ];
    const completed = completeRows(rows, new Map());
    expect(completed[1]?.cells).toMatchObject({ legalName: 'Forma', city: 'Lyon' });
    const partners = completed.map(mapPartnerRow).flatMap((m) => (m.partner ? [m.partner] : []));
    expect(partners).toHaveLength(3);
    expect(crossRowIssues(partners, rows)).toEqual([
      { line: 4, column: 'Ville', message: 'differs from line 2 for the same SIRET' },
    ]);
  });

  it('needs no name for a SIRET already registered', () => {
    const [row] = completeRows([{ line: 2, cells: { siret: SIRET } }], new Map([[SIRET, 'Déjà là']]));
    expect(mapPartnerRow(row!).issues).toEqual([]);
  });
});
