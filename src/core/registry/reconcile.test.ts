import { describe, expect, it } from 'vitest';
import {
  combineScopes,
  type HabilisHabilitation,
  isInForce,
  type OwnedFiche,
  reconcileDeclaredPartners,
} from './reconcile.js';

const TODAY = '2026-11-23';
const CERT = '00000000-0000-4000-8000-000000000001';

const declared = (siret: string | null, overrides: Partial<OwnedFiche['partners'][number]> = {}) => ({
  siret,
  name: `OF ${siret ?? 'sans SIRET'}`,
  habilitationType: 'HABILITATION_ORGA_FORM' as const,
  state: 'Actif',
  line: 100,
  ...overrides,
});

const habilitation = (siret: string, overrides: Partial<HabilisHabilitation> = {}): HabilisHabilitation => ({
  habilitationId: `hab-${siret}`,
  certificationId: CERT,
  organisationId: `org-${siret}`,
  siret,
  legalName: `Organisme ${siret}`,
  scope: 'both',
  status: 'active',
  startsOn: '2025-01-01',
  endsOn: null,
  ...overrides,
});

const fiche = (partners: OwnedFiche['partners'], overrides: Partial<OwnedFiche> = {}): OwnedFiche => ({
  code: 'RNCP35419',
  certificationId: CERT,
  isActive: true,
  line: 42,
  partners,
  ...overrides,
});

const run = (f: OwnedFiche, habs: HabilisHabilitation[], orgs: Record<string, string> = {}) =>
  reconcileDeclaredPartners([f], habs, {
    today: TODAY,
    file: 'export.xml',
    organisationsBySiret: new Map(
      Object.entries({ ...Object.fromEntries(habs.map((h) => [h.siret, h.organisationId])), ...orgs }),
    ),
  });

describe(reconcileDeclaredPartners.name, () => {
  it('finds nothing when declarations and habilitations agree', () => {
    expect(
      run(fiche([declared('1'), declared('2', { habilitationType: 'HABILITATION_FORMER' })]), [
        habilitation('1'),
        habilitation('2', { scope: 'train' }),
      ]),
    ).toEqual([]);
  });

  it('declared but unknown in Habilis: organisation unknown, or no habilitation in force', () => {
    const drafts = run(
      fiche([declared('1'), declared('2', { line: 7 })]),
      [habilitation('2', { status: 'suspended' })],
      {},
    );
    expect(drafts.map((d) => [d.ruleId, d.subjectKey, d.organisationId, d.severity])).toEqual([
      ['registry.declared_unknown', 'RNCP35419:1', null, 'major'],
      ['registry.declared_unknown', 'RNCP35419:2', 'org-2', 'major'],
    ]);
    expect(drafts[0]!.description).toContain('organisme inconnu');
    expect(drafts[1]!.description).toContain('n’est pas en vigueur (suspended)');
    expect(drafts[1]!.source).toMatchObject({
      file: 'export.xml',
      line: 7,
      ficheCode: 'RNCP35419',
      siret: '2',
    });
  });

  it('active in Habilis but not declared (or declared with another state): the CPF offers are at risk', () => {
    const drafts = run(fiche([declared('2', { state: 'Inactif' })]), [
      habilitation('1'),
      habilitation('2', { scope: 'train' }),
    ]);
    expect(drafts.map((d) => [d.ruleId, d.subjectKey, d.organisationId])).toEqual([
      ['registry.not_declared', 'RNCP35419:1', 'org-1'],
      ['registry.not_declared', 'RNCP35419:2', 'org-2'],
    ]);
    expect(drafts[0]!.source).toMatchObject({ line: 42, expectedHabilitationType: 'HABILITATION_ORGA_FORM' });
    expect(drafts[1]!.description).toContain('avec l’état Inactif');
  });

  it('habilitation type mismatch, with the two scopes of Habilis combined', () => {
    const drafts = run(fiche([declared('1', { habilitationType: 'HABILITATION_FORMER' }), declared('2')]), [
      habilitation('1', { scope: 'evaluate' }),
      habilitation('2', { scope: 'train' }),
      habilitation('2', { habilitationId: 'x', scope: 'evaluate' }),
    ]);
    expect(drafts.map((d) => [d.ruleId, d.subjectKey, d.source.expectedHabilitationType])).toEqual([
      ['registry.type_mismatch', 'RNCP35419:1', 'HABILITATION_ORGANISER'],
    ]);
  });

  it('one SIRET declared once per type counts as both rights', () => {
    const partners = [
      declared('1', { habilitationType: 'HABILITATION_FORMER' }),
      declared('1', { habilitationType: 'HABILITATION_ORGANISER' }),
    ];
    expect(run(fiche(partners), [habilitation('1', { scope: 'both' })])).toEqual([]);
  });

  it('declared on an inactive fiche, and nothing else for that fiche', () => {
    const drafts = run(fiche([declared('1'), declared('3', { state: 'Inactif' })], { isActive: false }), [
      habilitation('1'),
      habilitation('2'),
    ]);
    expect(drafts.map((d) => [d.ruleId, d.subjectKey, d.severity])).toEqual([
      ['registry.declared_on_inactive', 'RNCP35419:1', 'minor'],
    ]);
  });

  it('a partner listed without state (CSV bundle) counts as declared; one without SIRET is keyed by name', () => {
    const drafts = run(fiche([declared('1', { state: null }), declared(null)]), [habilitation('1')]);
    expect(drafts.map((d) => d.subjectKey)).toEqual(['RNCP35419:name:OF sans SIRET']);
  });

  it('a habilitation outside its period is not in force', () => {
    expect(isInForce(habilitation('1', { startsOn: '2027-01-01' }), TODAY)).toBe(false);
    expect(isInForce(habilitation('1', { endsOn: '2026-11-22' }), TODAY)).toBe(false);
    expect(isInForce(habilitation('1', { endsOn: TODAY, status: 'under_watch' }), TODAY)).toBe(true);
    expect(
      run(fiche([declared('1')]), [habilitation('1', { endsOn: '2026-01-01' })]).map((d) => d.ruleId),
    ).toEqual(['registry.declared_unknown']);
  });

  it('combines scopes', () => {
    expect(combineScopes(['train', 'evaluate'])).toBe('both');
    expect(combineScopes(['train', 'train'])).toBe('train');
    expect(combineScopes([])).toBeNull();
  });
});
