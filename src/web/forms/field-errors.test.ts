import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { candidateInput } from '../../core/candidates/candidate.schema.js';
import { organisationInput, organisationPatch } from '../../core/organisations/organisation.schema.js';
import { setupInput, userInput } from '../../core/users/user.schema.js';
import { ApiError } from '../api/client.js';
import { en } from '../i18n/en.js';
import { fr } from '../i18n/fr.js';
import {
  fieldErrorsFromApi,
  fieldErrorsFromZod,
  knownMessageOf,
  splitFieldErrors,
  translateFieldMessage,
} from './field-errors.js';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng: 'fr',
    contextSeparator: '~',
    interpolation: { escapeValue: false },
  });
});
const t = () => i18n.t;

/** Inputs that break every rule of the shared schemas the web forms use. */
const badInputs = [
  [
    organisationInput,
    {
      siret: '123',
      nda: '12',
      legalName: '   ',
      postalCode: '1',
      email: 'nope',
      phone: 'abc',
      website: 'x',
      qualiopiExpiresOn: '2026-13-45',
      extra: 1,
    },
  ],
  [
    organisationInput,
    { siret: '73282932000075', legalName: 'x'.repeat(301), qualiopiExpiresOn: '31/12/2026' },
  ],
  [organisationInput, { siret: '35600000000049', legalName: 'La Poste' }],
  [organisationPatch, { legalName: '' }],
  [
    candidateInput,
    {
      birthName: 'DUPONT2',
      firstNames: 'Jean',
      sex: 'M',
      birthDate: '1850-01-01',
      birthPlaceCode: '99350',
      birthCountryCode: '123',
      accessRoute: 'continuing_training',
    },
  ],
  [
    candidateInput,
    { birthName: 'DUPONT', firstNames: 'Jean', sex: 'M', birthDate: '2999-01-01', accessRoute: 'vae' },
  ],
  [setupInput, { token: 'short', email: 'a', displayName: '', password: 'court' }],
  [setupInput, { token: 'x'.repeat(30), email: 'a@b.fr', displayName: 'A', password: 'aaaaaaaaaaaaaaaa' }],
  [userInput, { email: 'jean@b.fr', displayName: 'J', role: 'partner', password: 'Jean-Bonjour-2026' }],
  [
    userInput,
    {
      email: 'j@b.fr',
      displayName: 'J',
      role: 'admin',
      organisationId: '0b7c3f6e-8a51-4c1e-9a59-2b1f4f0d9c11',
    },
  ],
] as const;

describe('field messages', () => {
  it.each(badInputs.map(([schema, input], i) => [i, schema, input] as const))(
    'every reason the shared schemas give is translated (case %i)',
    (_, schema, input) => {
      const result = schema.safeParse(input);
      expect(result.success).toBe(false);
      const unknown = (result.error?.issues ?? [])
        .map((i) => i.message)
        .filter((m) => knownMessageOf(m) === null);
      expect(unknown).toEqual([]);
    },
  );

  it('says what is wrong with a SIRET in French', () => {
    expect(translateFieldMessage('invalid SIRET (Luhn checksum)', t())).toBe(
      'SIRET invalide : la clé de contrôle (Luhn) ne correspond pas.',
    );
    expect(translateFieldMessage('a SIRET has exactly 14 digits', t())).toBe(
      'Un SIRET compte exactement 14 chiffres.',
    );
  });

  it('keeps the limit of Zod’s own messages', () => {
    expect(translateFieldMessage('Too big: expected string to have <=300 characters', t())).toBe(
      '300 caractères au plus.',
    );
  });

  it('says what is wrong with a candidate’s birth place and a moved session in French', () => {
    const problem = new ApiError('validation_failed', 400, 'Invalid body', [
      {
        field: 'birthPlaceCode',
        message: 'give the commune of birth (INSEE code) or, for a birth abroad, birthCountryCode',
      },
      { field: 'birthCountryCode', message: 'an INSEE country code is 99 followed by 3 digits, e.g. 99350' },
      { field: 'startsAt', message: 'the session is held' },
      { field: 'userIds/0', message: 'Jeanne Martin is not an evaluator' },
    ]);
    expect(fieldErrorsFromApi(problem, t())).toEqual({
      birthPlaceCode:
        'Indiquez la commune de naissance (code INSEE) ou, pour une naissance à l’étranger, le pays.',
      birthCountryCode: 'Un code INSEE de pays est 99 suivi de 3 chiffres, par exemple 99350.',
      startsAt: 'La session a déjà eu lieu : elle ne peut plus changer.',
      'userIds/0': 'Jeanne Martin n’a pas le rôle d’évaluateur.',
    });
  });

  it('shows a reason it does not know as the server gave it', () => {
    expect(translateFieldMessage('a brand new rule', t())).toBe('a brand new rule');
  });

  it('maps Zod issues to fields by path, first message per field', () => {
    const result = organisationInput.safeParse({ siret: '123', legalName: '' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrorsFromZod(result.error, t())).toEqual({
      siret: 'Un SIRET compte exactement 14 chiffres.',
      legalName: 'Ne doit pas être vide.',
    });
  });

  it('maps the fields of a problem+json answer', () => {
    const error = new ApiError('conflict', 409, 'x', [{ field: 'siret', message: 'already registered' }]);
    expect(fieldErrorsFromApi(error, t())).toEqual({ siret: 'Déjà enregistré dans Habilis.' });
  });

  it('keeps errors on fields the form does not show, instead of dropping them', () => {
    expect(splitFieldErrors({ siret: 'a', token: 'b', '(body)': 'c' }, ['siret'])).toEqual({
      inline: { siret: 'a' },
      other: ['token — b', 'c'],
    });
  });
});
