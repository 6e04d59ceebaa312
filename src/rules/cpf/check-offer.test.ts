import { describe, expect, it } from 'vitest';
import { prepareClaims } from '../../core/cpf-offers/communication.js';
import type { CpfOffer } from '../../core/cpf-offers/cpf-offer.schema.js';
import {
  type CertificationRef,
  type CpfReference,
  checkOffer,
  FindingCollector,
  type HabilitationRef,
  type OrganisationRef,
  offerEvidence,
  statusOn,
} from './check-offer.js';

const certification: CertificationRef = {
  id: 'cert-1',
  code: 'RNCP37674',
  title: 'Développeur web et web mobile',
  level: '5',
  skillBlocks: new Map([
    ['RNCP37674BC01', 'block-1'],
    ['RNCP37674BC02', 'block-2'],
  ]),
};
const partner: OrganisationRef = {
  id: 'org-1',
  siret: '12345678900012',
  siren: '123456789',
  legalName: 'Partenaire Un',
  qualiopiStatus: 'certified',
  qualiopiExpiresOn: null,
};

function habilitation(overrides: Partial<HabilitationRef> = {}): HabilitationRef {
  return {
    id: 'hab-1',
    scope: 'both',
    status: 'active',
    startsOn: '2025-01-01',
    endsOn: null,
    coversAllSkillBlocks: true,
    skillBlockIds: new Set(),
    decisions: [],
    ...overrides,
  };
}

function reference(habilitations: HabilitationRef[], o: Partial<CpfReference> = {}): CpfReference {
  return {
    organisationsBySiret: new Map([[partner.siret, partner]]),
    organisationsBySiren: new Map([[partner.siren, [partner]]]),
    habilitations: new Map([[`${partner.id}:${certification.id}`, habilitations]]),
    conventions: new Map(),
    claims: prepareClaims([]),
    ...o,
  };
}

function offer(overrides: Partial<CpfOffer> = {}): CpfOffer {
  return {
    offerId: 'o1',
    extractedOn: '2026-03-01',
    siret: partner.siret,
    siren: partner.siren,
    organisationName: 'PARTENAIRE UN',
    certificationCode: 'RNCP37674',
    register: 'RNCP',
    certifInfoCode: null,
    certificationTitle: null,
    level: null,
    title: 'Titre professionnel Développeur web et web mobile',
    highlights: null,
    objective: null,
    content: null,
    expectedResults: null,
    formacodes: [],
    mainFormacodeLabel: null,
    nsfSpecialities: [],
    romeCodes: [],
    actionCount: null,
    activeSessionCount: null,
    distanceSessionCount: null,
    modality: null,
    hoursMin: null,
    hoursMax: null,
    hoursMean: null,
    priceMin: 1500,
    priceMax: 2000,
    priceMean: null,
    departmentCode: null,
    departmentName: null,
    regionCode: null,
    regionName: null,
    ...overrides,
  };
}

const rulesOf = (r: ReturnType<typeof checkOffer>) => r.hits.map((h) => h.ruleId);

describe('statusOn', () => {
  it('is the last decision taken by the day, else the current status', () => {
    const h = habilitation({
      status: 'withdrawn',
      decisions: [
        { day: '2025-01-01', to: 'active' },
        { day: '2026-02-01', to: 'suspended' },
        { day: '2026-06-01', to: 'withdrawn' },
      ],
    });
    expect(statusOn(h, '2025-12-31')).toBe('active');
    expect(statusOn(h, '2026-03-01')).toBe('suspended');
    expect(statusOn(habilitation({ status: 'expired' }), '2026-03-01')).toBe('expired');
  });
});

describe('checkOffer', () => {
  it('finds nothing for a habilitated partner using the exact title', () => {
    const result = checkOffer(offer(), certification, '2026-03-01', reference([habilitation()]));
    expect(result).toMatchObject({ verdict: 'habilitated', matchedBy: 'siret', hits: [] });
  });

  it('knows another establishment by its SIREN, and an unknown seller by neither', () => {
    const other = offer({ siret: '12345678900038' });
    expect(checkOffer(other, certification, '2026-03-01', reference([habilitation()]))).toMatchObject({
      verdict: 'habilitated',
      matchedBy: 'siren',
    });
    const unknown = checkOffer(
      offer({ siret: '98765432100019', siren: '987654321' }),
      certification,
      '2026-03-01',
      reference([]),
    );
    expect(unknown).toMatchObject({ verdict: 'unknown_seller', organisation: null });
    expect(unknown.hits).toEqual([
      expect.objectContaining({
        ruleId: 'cpf.seller-not-habilitated',
        subjectKey: 'siret:98765432100019:cert-1',
      }),
    ]);
  });

  it('tells a habilitation suspended on the extraction date, or not yet started', () => {
    const suspended = habilitation({ decisions: [{ day: '2026-02-01', to: 'suspended' }], status: 'active' });
    const r1 = checkOffer(offer(), certification, '2026-03-01', reference([suspended]));
    expect(r1.verdict).toBe('inactive');
    expect(r1.hits[0]).toMatchObject({
      ruleId: 'cpf.habilitation-inactive',
      detail: expect.stringContaining('suspended'),
    });
    const later = checkOffer(
      offer(),
      certification,
      '2026-03-01',
      reference([habilitation({ startsOn: '2026-09-01' })]),
    );
    expect(later.hits[0]?.detail).toContain('pas encore commencée');
  });

  it('flags training sold under an evaluation-only habilitation, and a skill block not covered', () => {
    expect(
      rulesOf(
        checkOffer(offer(), certification, '2026-03-01', reference([habilitation({ scope: 'evaluate' })])),
      ),
    ).toEqual(['cpf.evaluation-only']);
    const partial = habilitation({ coversAllSkillBlocks: false, skillBlockIds: new Set(['block-1']) });
    const bloc = checkOffer(
      offer({ title: `${certification.title} - bloc 2` }),
      certification,
      '2026-03-01',
      reference([partial]),
    );
    expect(bloc.hits).toEqual([
      expect.objectContaining({
        ruleId: 'cpf.skill-block-not-covered',
        facts: { skillBlocks: ['RNCP37674BC02'], uncovered: ['RNCP37674BC02'] },
      }),
    ]);
  });

  it('checks the price against a convention in force, not a terminated one', () => {
    const convention = {
      id: 'conv-1',
      reference: 'CONV-1',
      status: 'signed',
      startsOn: '2025-01-01',
      endsOn: null,
      signedOn: '2024-12-15',
      terminatedOn: null as string | null,
      priceBounds: { minCents: null, maxCents: 180_000 },
    };
    const conventions = new Map([[`${partner.id}:${certification.id}`, [convention]]]);
    const inForce = checkOffer(
      offer(),
      certification,
      '2026-03-01',
      reference([habilitation()], { conventions }),
    );
    expect(rulesOf(inForce)).toEqual(['cpf.price-outside-bounds']);
    convention.terminatedOn = '2026-01-01';
    expect(
      rulesOf(checkOffer(offer(), certification, '2026-03-01', reference([habilitation()], { conventions }))),
    ).toEqual([]);
  });

  it('flags lapsed Qualiopi per organisation and a forbidden claim with its field', () => {
    const lapsed = { ...partner, qualiopiStatus: 'lapsed' };
    const ref = reference([habilitation()], {
      organisationsBySiret: new Map([[partner.siret, lapsed]]),
      claims: prepareClaims([{ phrase: 'Master', reason: 'grade universitaire', allowedLevels: [] }]),
    });
    const result = checkOffer(
      offer({ highlights: 'Un niveau Master garanti' }),
      certification,
      '2026-03-01',
      ref,
    );
    expect(result.hits.map((h) => [h.ruleId, h.subjectKey])).toEqual([
      ['cpf.qualiopi-lapsed', 'organisation:org-1'],
      ['cpf.misleading-claim', 'organisation:org-1:cert-1'],
    ]);
  });
});

describe('FindingCollector', () => {
  it('gathers a seller’s offers into one finding, with the highest severity and the count', () => {
    const collector = new FindingCollector();
    const ref = reference([habilitation()]);
    for (const [id, title] of [
      ['a', 'Développeur web et web mobil'],
      ['b', 'Intégrateur'],
    ] as const) {
      const o = offer({ offerId: id, title });
      for (const hit of checkOffer(o, certification, '2026-03-01', ref).hits) collector.add(hit, o, 2);
    }
    const [finding] = collector.findings();
    expect(collector.counts()).toEqual({ 'cpf.title-mismatch': 1 });
    expect(finding).toMatchObject({
      subjectKey: 'organisation:org-1:cert-1',
      severity: 'major',
      title: expect.stringContaining('(2 offres)'),
      evidence: { offerCount: 2, offers: [{ offerId: 'a', facts: { distance: 1 } }, { offerId: 'b' }] },
    });
  });
});

describe('FindingCollector evidence as text', () => {
  it('writes the JSON the evidence object gave, so stored evidence hashes stay equal', () => {
    const collector = new FindingCollector();
    const ref = reference([habilitation()]);
    const offers = [
      offer({ offerId: 'a', title: 'Développeur web « et » web mobil', priceMin: 1500.5 }),
      offer({ offerId: 'b', title: 'Intégrateur\n"web"', priceMin: 900 }),
    ];
    const hits = offers.map((o) => {
      const [hit] = checkOffer(o, certification, '2026-03-01', ref).hits;
      collector.add(hit!, o, 7);
      return hit!;
    });
    const [subject] = collector.subjects('cpf.title-mismatch');
    // The object the evidence was, written field by field in its order.
    const expected = {
      source: 'cpf_catalogue',
      seller: {
        siret: partner.siret,
        name: 'PARTENAIRE UN',
        certificationCode: 'RNCP37674',
        certificationTitle: null,
      },
      facts: hits[0]!.facts,
      offerCount: 2,
      offers: offers.map((o, i) => ({ ...offerEvidence(o, 7), facts: hits[i]!.facts })),
    };
    expect(collector.evidenceJson('cpf.title-mismatch', subject!.subjectKey)).toBe(JSON.stringify(expected));
    expect(subject).not.toHaveProperty('evidence');
    expect(collector.findings('cpf.title-mismatch')[0]!.evidence).toEqual(
      JSON.parse(JSON.stringify(expected)),
    );
    expect(() => collector.evidenceJson('cpf.title-mismatch', 'organisation:nobody')).toThrow(/no finding/);
  });
});
