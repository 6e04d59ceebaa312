import { describe, expect, it } from 'vitest';
import { toCsv } from '../tabular/tabular.js';
import { percent, shortDate } from './labels.js';
import { proofOf, reconcilePartners } from './model.js';

const hab = (siret: string, scope: string, status = 'active') => ({
  id: `h-${siret}-${scope}`,
  organisationId: `o-${siret}`,
  siret,
  legalName: `Org ${siret}`,
  scope,
  status,
  startsOn: '2025-01-01',
  endsOn: null,
  qualiopiStatus: 'certified',
  qualiopiExpiresOn: null,
});
const declared = (siret: string, habilitationType: string, isActive = true) => ({
  siret,
  name: `Org ${siret}`,
  habilitationType,
  state: isActive ? 'Actif' : 'Inactif',
  isActive,
});

describe('reconcilePartners', () => {
  it('compares each SIRET with the list France Compétences publishes', () => {
    const rows = reconcilePartners(
      [
        hab('1', 'both'),
        hab('2', 'train'),
        hab('3', 'train'),
        hab('3', 'evaluate'),
        hab('4', 'train', 'withdrawn'),
      ],
      [
        declared('1', 'HABILITATION_ORGA_FORM'),
        declared('2', 'HABILITATION_ORGANISER'),
        declared('3', 'HABILITATION_ORGA_FORM'),
        declared('4', 'HABILITATION_FORMER'),
        declared('5', 'HABILITATION_FORMER', false),
      ],
    );
    expect(rows.map((r) => [r.siret, r.verdict])).toEqual([
      ['1', 'ok'],
      ['2', 'type_mismatch'],
      ['3', 'ok'], // train + evaluate = both
      ['4', 'declared_without_habilitation'],
      ['5', 'ok'], // declared but inactive, and not habilitated: nothing to say
    ]);
    expect(reconcilePartners([hab('9', 'train')], [])[0]!.verdict).toBe('not_declared');
  });
});

describe('proofOf', () => {
  it('lists the evidence refs (four, then a count) and the last audit entry', () => {
    const data = {
      evidenceOf: new Map([['a', ['P0003', 'P0001', 'P0002', 'P0005', 'P0004', 'P0006']]]),
      auditSeqOf: new Map([
        ['a', 12],
        ['b', 40],
      ]),
    };
    expect(proofOf(data, 'a', 'b')).toBe('P0001, P0002, P0003, P0004 (+2) · J40');
    expect(proofOf(data, 'zzz')).toBe('—');
  });
});

describe('labels and tables', () => {
  it('writes French dates, rates and CSV cells', () => {
    expect(shortDate('2026-03-02')).toBe('02/03/2026');
    expect(percent(1, 8)).toBe('12,5 %');
    expect(percent(1, 0)).toBe('—');
    const csv = toCsv(
      [
        { title: 'Nom', value: (r: { name: string; rate: number }) => r.name },
        { title: 'Taux', value: (r) => r.rate, kind: 'percent' },
      ],
      [{ name: '=cmd|x; "y"', rate: 0.125 }],
    );
    expect(csv).toBe('\ufeffNom;Taux\r\n"\'=cmd|x; ""y""";12,5\r\n');
  });
});
