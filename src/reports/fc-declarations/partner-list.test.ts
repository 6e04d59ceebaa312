import { describe, expect, it } from 'vitest';
import type { DeclaredPartnerRow } from '../../core/declarations/declaration.schema.js';
import { neutraliseFormula, partnerListCsv } from './partner-list.js';

const row: DeclaredPartnerRow = {
  organisationId: '00000000-0000-4000-8000-000000000001',
  siret: '00012345600017',
  legalName: 'Forma; "Sud"',
  certificationId: '00000000-0000-4000-8000-000000000002',
  certificationCode: 'RNCP123',
  certificationTitle: '=HYPERLINK("x")',
  franceCompetencesValue: 'HABILITATION_FORMER',
  state: 'Actif',
  startsOn: '2026-01-01',
  endsOn: null,
  lastChangeOn: '2026-02-01',
  dueOn: '2026-04-01',
  declaredOn: null,
};

describe('partner list CSV', () => {
  it('is UTF-8 with BOM, `;`-separated, CRLF, quoting what needs it and keeping SIRET zeros', () => {
    const csv = partnerListCsv([row]);
    expect(csv.startsWith('\ufeffSIRET;Raison sociale;')).toBe(true);
    const line = csv.split('\r\n')[1];
    expect(line).toBe(
      `00012345600017;"Forma; ""Sud""";RNCP123;"'=HYPERLINK(""x"")";HABILITATION_FORMER;Actif;2026-01-01;;2026-02-01;2026-04-01;`,
    );
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(neutraliseFormula('=1+1')).toBe("'=1+1");
    expect(neutraliseFormula('@SUM')).toBe("'@SUM");
    expect(neutraliseFormula('Forma')).toBe('Forma');
  });
});
