import { describe, expect, it } from 'vitest';
import {
  type HabilitationDetail,
  habilitationInput,
} from '../../../core/habilitations/habilitation.schema.js';
import {
  conditionsOf,
  emptyHabilitationValues,
  habilitationValuesOf,
  parseNumberText,
  toHabilitationInput,
  toHabilitationPatch,
} from './habilitation-form.js';

const org = '11111111-1111-4111-8111-111111111111';
const cert = '22222222-2222-4222-8222-222222222222';
const block = '33333333-3333-4333-8333-333333333333';
const site = '44444444-4444-4444-8444-444444444444';

describe('habilitation form', () => {
  it('reads numbers as French users type them, and refuses what is not one', () => {
    expect(parseNumberText(' 1 200 ')).toBe(1200);
    expect(parseNumberText('50,5')).toBe(50.5);
    expect(parseNumberText('')).toBeNull();
    expect(parseNumberText('douze')).toBeNaN();
    expect(parseNumberText('-3')).toBeNaN();
  });

  it('turns the condition fields into conditions, keeping the ones the form does not know', () => {
    const values = {
      ...emptyHabilitationValues('2026-05-01'),
      minimumHours: '140',
      maxGroupSize: '16',
      inPersonPercent: '50',
      conditionNotes: '  Plateau technique obligatoire ',
      otherConditions: { sites: ['Montpellier'] },
    };
    expect(conditionsOf(values)).toEqual({
      conditions: {
        sites: ['Montpellier'],
        minimumHours: 140,
        maxGroupSize: 16,
        inPersonShare: 0.5,
        notes: 'Plateau technique obligatoire',
      },
      issues: [],
    });
  });

  it('names each condition that is not a valid number', () => {
    const values = {
      ...emptyHabilitationValues('2026-05-01'),
      minimumHours: '12,5',
      maxGroupSize: '0',
      inPersonPercent: '120',
    };
    expect(conditionsOf(values).issues).toEqual([
      { field: 'minimumHours', kind: 'wholeNumber' },
      { field: 'maxGroupSize', kind: 'wholeNumber' },
      { field: 'inPersonPercent', kind: 'percent' },
    ]);
  });

  it('builds an input the shared schema accepts, without block list when all blocks are covered', () => {
    const values = {
      ...emptyHabilitationValues('2026-05-01'),
      organisationId: org,
      certificationId: cert,
      skillBlockIds: [block],
      territory: ' Occitanie ',
    };
    const input = toHabilitationInput(values, {});
    expect(input).toMatchObject({
      skillBlockIds: [],
      coversAllSkillBlocks: true,
      territory: 'Occitanie',
      endsOn: null,
    });
    expect(input).not.toHaveProperty('reasons');
    expect(habilitationInput.safeParse(input).success).toBe(true);
    const partial = toHabilitationInput(
      { ...values, coversAllSkillBlocks: false, reasons: 'Dossier reçu' },
      {},
    );
    expect(partial).toMatchObject({ skillBlockIds: [block], reasons: 'Dossier reçu' });
  });

  it('lets the shared schema name a missing organisation and an end before the start', () => {
    const input = toHabilitationInput(
      { ...emptyHabilitationValues('2026-05-01'), certificationId: cert, endsOn: '2026-04-30' },
      {},
    );
    const parsed = habilitationInput.safeParse(input);
    expect(parsed.success).toBe(false);
    const fields = parsed.error?.issues.map((i) => i.path.join('/'));
    expect(fields).toContain('organisationId');
    expect(fields).toContain('endsOn');
  });

  it('round-trips a habilitation through the form (the share 0.29 reads back as 29 %)', () => {
    const detail = {
      organisationId: org,
      certificationId: cert,
      scope: 'train',
      coversAllSkillBlocks: false,
      skillBlocks: [{ id: block, code: 'RNCP35419BC01', title: 'Bloc 1' }],
      territory: null,
      sites: [{ id: site, label: 'Campus Montpellier', addressLine: null, postalCode: null, city: null }],
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      conditions: { minimumHours: 140, inPersonShare: 0.29, other: true },
    } as unknown as HabilitationDetail;
    const values = habilitationValuesOf(detail);
    expect(values).toMatchObject({
      inPersonPercent: '29',
      minimumHours: '140',
      maxGroupSize: '',
      otherConditions: { other: true },
    });
    const { conditions } = conditionsOf(values);
    expect(toHabilitationPatch(values, conditions)).toEqual({
      scope: 'train',
      coversAllSkillBlocks: false,
      skillBlockIds: [block],
      territory: null,
      siteIds: [site],
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      conditions: { other: true, minimumHours: 140, inPersonShare: 0.29 },
    });
  });
});
