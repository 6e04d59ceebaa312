import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { briefValue, diffFiche, diffPartners, isEmptyDiff, type PartnerState, sameJson } from './diff.js';
import type { FicheRecord } from './fiche.schema.js';

const partner = (siret: string, overrides: Partial<PartnerState> = {}): PartnerState & { line: number } => ({
  siret,
  name: `OF ${siret}`,
  habilitationType: 'HABILITATION_ORGA_FORM',
  state: 'Actif',
  isActive: true,
  activeSince: '2024-01-01',
  stateChangedOn: null,
  line: 1,
  ...overrides,
});

function fiche(overrides: Partial<FicheRecord> = {}): FicheRecord {
  return {
    code: 'RNCP35419',
    register: 'RNCP',
    sourceId: 1,
    title: 'Expert en ingénierie du logiciel',
    abbreviation: null,
    level: 7,
    levelLabel: 'Niveau 7',
    state: 'Publiée',
    isActive: true,
    registrationType: null,
    decidedOn: '2021-03-17',
    effectiveOn: null,
    publishedOn: null,
    lastOfficialJournalOn: null,
    endsOn: '2026-03-17',
    deliveryDeadline: null,
    registrationYears: 5,
    hasPartners: true,
    partialValidation: null,
    accessibleNewCaledonia: null,
    accessibleFrenchPolynesia: null,
    url: null,
    certifiers: [
      {
        siret: '31134913800017',
        name: 'ESIEA',
        state: 'Actif',
        stateChangedOn: null,
        tradeName: null,
        website: null,
      },
    ],
    skillBlocks: [
      {
        code: 'RNCP35419BC01',
        title: 'Bloc 1',
        competences: 'C1',
        assessmentRules: 'Cas pratique',
        entryPrerequisites: null,
        validationPrerequisites: null,
      },
      {
        code: 'RNCP35419BC02',
        title: 'Bloc 2',
        competences: 'C2',
        assessmentRules: 'Étude de cas',
        entryPrerequisites: null,
        validationPrerequisites: null,
      },
    ],
    accessRoutes: [],
    statistics: [],
    predecessors: [],
    successors: [],
    partners: [partner('80875076400025'), partner('88877726500016')],
    formacodes: [],
    nsf: [],
    rome: [],
    ccn: [],
    idcc: [],
    publications: [],
    correspondences: [],
    promotionYears: [],
    texts: {
      activities: 'Activités',
      competences: null,
      sectors: null,
      jobTypes: null,
      regulations: null,
      objectives: null,
      entryPrerequisites: null,
      validationPrerequisites: null,
      masteryLevel: null,
      partialValidationScope: null,
      validityDuration: null,
      renewalTerms: null,
    },
    line: 10,
    ...overrides,
  };
}

/** A snapshot as read back from the database: JSON round trip, keys in another order. */
const stored = (record: FicheRecord) => {
  const { partners: _p, line: _l, ...rest } = record;
  const reorder = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(reorder)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reorder(x)]),
          )
        : v;
  return reorder(JSON.parse(JSON.stringify(rest))) as Parameters<typeof diffFiche>[0];
};

describe(diffFiche.name, () => {
  it('finds nothing between a fiche and itself read back from the database', () => {
    const record = fiche();
    expect(isEmptyDiff(diffFiche(stored(record), record.partners, { ...record, line: 999 }))).toBe(true);
  });

  it('names the fields that changed, long texts shortened', () => {
    const before = fiche();
    const long = 'x'.repeat(1_000);
    const after = fiche({
      title: 'Expert logiciel',
      endsOn: '2029-03-17',
      texts: { ...before.texts, activities: long },
    });
    const diff = diffFiche(stored(before), before.partners, after);
    expect(diff.fields).toEqual([
      { field: 'title', before: 'Expert en ingénierie du logiciel', after: 'Expert logiciel' },
      { field: 'endsOn', before: '2026-03-17', after: '2029-03-17' },
      { field: 'texts.activities', before: 'Activités', after: `${'x'.repeat(300)}…` },
    ]);
    expect(diff.becameInactive).toBe(false);
  });

  it('tells a fiche that became inactive, and skill blocks added, removed, changed (not reordered)', () => {
    const before = fiche();
    const [b1, b2] = before.skillBlocks;
    const after = fiche({
      isActive: false,
      skillBlocks: [
        { ...b2!, assessmentRules: 'Oral' },
        { ...b1!, code: 'RNCP35419BC03' },
      ],
    });
    const diff = diffFiche(stored(before), before.partners, after);
    expect(diff.becameInactive).toBe(true);
    expect(diff.fields).toEqual([
      {
        field: 'skillBlocks',
        before: null,
        after: { added: ['RNCP35419BC03'], removed: ['RNCP35419BC01'], changed: ['RNCP35419BC02'] },
      },
    ]);
    const reordered = fiche({ skillBlocks: [b2!, b1!] });
    expect(diffFiche(stored(before), before.partners, reordered).fields).toEqual([]);
  });
});

describe(diffPartners.name, () => {
  it('finds partners added, removed, and changed in state or habilitation type', () => {
    const before = [
      partner('1'),
      partner('2'),
      partner('3'),
      partner('4', { habilitationType: 'HABILITATION_FORMER' }),
    ];
    const after = [
      partner('2', { state: 'Inactif', isActive: false, stateChangedOn: '2026-01-01' }),
      partner('3'),
      partner('4', { habilitationType: 'HABILITATION_ORGA_FORM' }),
      partner('5'),
    ];
    expect(diffPartners(before, after)).toEqual([
      {
        kind: 'partner_changed',
        siret: '2',
        name: 'OF 2',
        habilitationType: 'HABILITATION_ORGA_FORM',
        changes: {
          state: { before: 'Actif', after: 'Inactif' },
          stateChangedOn: { before: null, after: '2026-01-01' },
        },
      },
      {
        kind: 'partner_changed',
        siret: '4',
        name: 'OF 4',
        habilitationType: 'HABILITATION_ORGA_FORM',
        changes: { habilitationType: { before: 'HABILITATION_FORMER', after: 'HABILITATION_ORGA_FORM' } },
      },
      {
        kind: 'partner_added',
        siret: '5',
        name: 'OF 5',
        habilitationType: 'HABILITATION_ORGA_FORM',
        state: 'Actif',
      },
      {
        kind: 'partner_removed',
        siret: '1',
        name: 'OF 1',
        habilitationType: 'HABILITATION_ORGA_FORM',
        state: 'Actif',
      },
    ]);
  });

  it('finds no change in any reordering of the same partners, and as many additions as new ones', () => {
    const siret = fc.stringMatching(/^\d{14}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(siret, { maxLength: 12 }),
        fc.uniqueArray(siret, { maxLength: 5 }),
        (sirets, extra) => {
          const list = sirets.map((s) => partner(s));
          const shuffled = [...list].reverse();
          expect(diffPartners(list, shuffled)).toEqual([]);
          const added = extra.filter((s) => !sirets.includes(s));
          expect(
            diffPartners(list, [...shuffled, ...added.map((s) => partner(s))]).filter(
              (c) => c.kind === 'partner_added',
            ),
          ).toHaveLength(added.length);
        },
      ),
    );
  });
});

describe('JSON helpers', () => {
  it('compares JSON values whatever their key order, null and absent alike', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2, d: null }] }, { b: [1, { d: null, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: null }, { a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(sameJson(v, JSON.parse(JSON.stringify(v)))).toBe(true);
      }),
    );
  });

  it('summarises big values', () => {
    expect(briefValue('court')).toBe('court');
    expect(briefValue(Array.from({ length: 500 }, (_, i) => i))).toEqual({ items: 500 });
    expect(briefValue(undefined)).toBeNull();
  });
});
