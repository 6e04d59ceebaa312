import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { habilitationInput } from '../../../core/habilitations/habilitation.schema.js';
import { ApiError } from '../../api/client.js';
import { en } from '../../i18n/en.js';
import { fr } from '../../i18n/fr.js';
import { issuesOf, networkFieldErrors, networkMessageKey } from './network-messages.js';

beforeAll(async () => {
  await i18next.init({ lng: 'fr', resources: { fr: { translation: fr }, en: { translation: en } } });
});

describe('network form messages', () => {
  it('knows the habilitation and convention reasons of src/core and the services', () => {
    expect(networkMessageKey('must not be before startsOn')).toBe('beforeStart');
    expect(networkMessageKey('must not be after today (2026-05-01)')).toBe('notInFuture');
    expect(networkMessageKey('RNCP1BC01 is not a skill block of RNCP2')).toBe('unknownSkillBlock');
    expect(networkMessageKey('something new')).toBeNull();
  });

  it('shows a list element’s error on its list, in French, falling back to the shared table', () => {
    const errors = networkFieldErrors(
      [
        { field: 'skillBlockIds/1', message: 'unknown skill block' },
        { field: 'skillBlockIds/2', message: 'appears twice' },
        { field: 'territory', message: 'must not be empty' },
        { field: 'startsOn', message: 'a reason nobody knows' },
      ],
      i18next.t,
    );
    expect(errors).toEqual({
      skillBlockIds: 'Bloc de compétences inconnu.',
      territory: 'Ne doit pas être vide.',
      startsOn: 'a reason nobody knows',
    });
  });

  it('reads the issues of the shared Zod schema and of an API answer alike', () => {
    const parsed = habilitationInput.safeParse({ organisationId: 'x' });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(issuesOf(parsed.error).map((i) => i.field)).toContain('certificationId');
    const api = new ApiError('validation_failed', 400, '', [
      { field: 'endsOn', message: 'must not be before startsOn' },
    ]);
    expect(networkFieldErrors(issuesOf(api), i18next.t)).toEqual({
      endsOn: 'La fin ne peut pas précéder le début.',
    });
  });
});
