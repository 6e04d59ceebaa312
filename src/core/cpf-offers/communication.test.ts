import { describe, expect, it } from 'vitest';
import {
  communicationSettingsInput,
  compareTitles,
  defaultForbiddenClaims,
  findClaims,
  levelDigit,
  normaliseText,
  prepareClaims,
  priceBoundsOf,
  skillBlocksNamed,
  substringDistance,
} from './communication.js';

describe('normaliseText', () => {
  it('drops case, accents, ligatures and punctuation', () => {
    expect(normaliseText("Diplôme d'État — Bac+5 !")).toBe('diplome d etat bac 5');
    expect(normaliseText('Œuvre  CŒUR')).toBe('oeuvre coeur');
  });
});

describe('substringDistance', () => {
  it('is 0 when the haystack contains the needle', () => {
    expect(substringDistance('web mobile', 'titre pro developpeur web mobile')).toBe(0);
  });
  it('counts the edits for the needle to appear in the haystack', () => {
    expect(substringDistance('developpeur web', 'formation developeur web')).toBe(1);
    expect(substringDistance('developpeur web et web mobile', 'developpeur web mobil')).toBe(8);
    expect(substringDistance('abc', '')).toBe(3);
  });
});

describe('compareTitles', () => {
  it('accepts the exact title inside a longer offer title, whatever the case and accents', () => {
    expect(
      compareTitles('Titre professionnel DÉVELOPPEUR WEB et web mobile', 'Développeur web et web mobile'),
    ).toMatchObject({
      matches: true,
      distance: 0,
    });
  });
  it('shows the distance of a title that differs', () => {
    expect(compareTitles('Développeur web et web mobil', 'Développeur web et web mobile')).toMatchObject({
      matches: false,
      distance: 1,
    });
  });
});

describe('findClaims', () => {
  const claims = prepareClaims(defaultForbiddenClaims);
  const cert = { title: 'Responsable de formation', level: '6' };

  it('finds a forbidden claim on whole words, in any text of the offer, with an excerpt', () => {
    const found = findClaims(
      { title: 'Formation', highlights: 'Obtenez un vrai diplôme d’État en 6 mois' },
      cert,
      claims,
    );
    expect(found).toEqual([
      expect.objectContaining({
        phrase: "diplôme d'État",
        field: 'highlights',
        excerpt: expect.stringContaining('diplôme d’État'),
      }),
    ]);
    // "Masterclass" is not "Master".
    expect(findClaims({ title: 'Masterclass management' }, cert, claims)).toEqual([]);
  });

  it('allows a level claim that is true of the certification, and a phrase of its own title', () => {
    expect(findClaims({ title: 'Niveau Bac+3 / Bac+4' }, cert, claims)).toEqual([]);
    expect(findClaims({ title: 'Niveau Bac + 5' }, cert, claims).map((c) => c.phrase)).toEqual(['Bac+5']);
    expect(
      findClaims(
        { title: 'Licence professionnelle métiers du livre' },
        { title: 'Licence professionnelle métiers du livre', level: '6' },
        claims,
      ),
    ).toEqual([]);
  });

  it('uses the configured list only', () => {
    const own = prepareClaims([{ phrase: 'certifié par l’État', reason: 'faux', allowedLevels: [] }]);
    expect(findClaims({ title: 'Titre certifié par l État' }, cert, own).map((c) => c.phrase)).toEqual([
      'certifié par l’État',
    ]);
    expect(findClaims({ title: 'Master' }, cert, own)).toEqual([]);
  });
});

describe('communicationSettingsInput', () => {
  it('refuses the same phrase twice and a phrase without letters', () => {
    const result = communicationSettingsInput.safeParse({
      forbiddenClaims: [
        { phrase: 'Master', reason: 'x' },
        { phrase: 'MASTER', reason: 'y' },
        { phrase: '+++', reason: 'z' },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'forbiddenClaims.1.phrase',
      'forbiddenClaims.2.phrase',
    ]);
  });
});

describe('levelDigit, priceBoundsOf, skillBlocksNamed', () => {
  it('reads levels as published', () => {
    expect(levelDigit('NIV7')).toBe('7');
    expect(levelDigit('Niveau 5 (BTS, DUT)')).toBe('5');
    expect(levelDigit(null)).toBeNull();
  });
  it('reads the convention clause cpfPriceBounds', () => {
    expect(priceBoundsOf({ cpfPriceBounds: { minCents: 100_000, maxCents: 500_000 } })).toEqual({
      minCents: 100_000,
      maxCents: 500_000,
    });
    expect(priceBoundsOf({ cpfPriceBounds: { maxCents: 500_000 } })).toEqual({
      minCents: null,
      maxCents: 500_000,
    });
    expect(priceBoundsOf({ cpfPriceBounds: 'cher' })).toBeNull();
    expect(priceBoundsOf({})).toBeNull();
  });
  it('finds the skill blocks an offer names', () => {
    expect(skillBlocksNamed(['Bloc 2 : piloter', null], 'RNCP37674')).toEqual(['RNCP37674BC02']);
    expect(skillBlocksNamed(['RNCP37674BC03 et BC01'], 'RNCP37674')).toEqual([
      'RNCP37674BC01',
      'RNCP37674BC03',
    ]);
    expect(skillBlocksNamed(['Bloc de compétences n° 4'], 'RNCP1')).toEqual(['RNCP1BC04']);
    expect(skillBlocksNamed(['RNCP99999BC01'], 'RNCP37674')).toEqual([]);
  });
});
