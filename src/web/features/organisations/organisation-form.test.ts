import { describe, expect, it } from 'vitest';
import {
  type OrganisationView,
  organisationInput,
  organisationPatch,
} from '../../../core/organisations/organisation.schema.js';
import { emptyValues, parseTypedDate, toCreateInput, toPatch, valuesOf } from './organisation-form.js';

const formasud = { ...emptyValues, siret: '732 829 320 00074', legalName: 'Formasud', city: ' Montpellier ' };

describe('organisation form', () => {
  it('leaves empty optional fields out of a creation, which the shared schema accepts', () => {
    const input = toCreateInput(formasud);
    expect(input).toMatchObject({ siret: '732 829 320 00074', legalName: 'Formasud', city: 'Montpellier' });
    expect(input.nda).toBeUndefined();
    expect(input.email).toBeUndefined();
    const parsed = organisationInput.safeParse(input);
    expect(parsed.success && parsed.data.siret).toBe('73282932000074');
  });

  it('clears emptied fields on an update (null) and never sends the SIRET', () => {
    const patch = toPatch({ ...formasud, email: '' });
    expect(patch).not.toHaveProperty('siret');
    expect(patch.email).toBeNull();
    expect(organisationPatch.safeParse(patch).success).toBe(true);
  });

  it('round-trips an organisation through the form values', () => {
    const view: OrganisationView = {
      id: '0b7c3f6e-8a51-4c1e-9a59-2b1f4f0d9c11',
      siret: '73282932000074',
      siren: '732829320',
      nda: '76341234534',
      legalName: 'Formasud',
      tradeName: null,
      addressLine: '1 rue de la Loge',
      postalCode: '34000',
      city: 'Montpellier',
      region: 'Occitanie',
      email: 'contact@formasud.fr',
      phone: null,
      website: null,
      qualiopiStatus: 'certified',
      qualiopiCategories: ['training'],
      qualiopiExpiresOn: '2027-06-30',
      notes: null,
      archivedAt: null,
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    };
    const patch = toPatch(valuesOf(view));
    expect(patch).toMatchObject({ nda: '76341234534', tradeName: null, qualiopiExpiresOn: '2027-06-30' });
    expect(organisationPatch.safeParse(patch).success).toBe(true);
  });

  it('reads dates typed the French way', () => {
    expect(parseTypedDate('31/12/2026')).toBe('2026-12-31');
    expect(parseTypedDate('1.2.2027')).toBe('2027-02-01');
    expect(parseTypedDate('2026-12-31')).toBe('2026-12-31');
    expect(parseTypedDate('demain')).toBeNull();
  });
});
