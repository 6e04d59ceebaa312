import { describe, expect, it } from 'vitest';
import { postalPrefixesOf, regionCodes, regionOfPostalCode, regions } from './regions.js';

describe('regionOfPostalCode', () => {
  it('reads the région from the département of a postal code', () => {
    expect(regionOfPostalCode('34000')).toBe('76');
    expect(regionOfPostalCode('75011')).toBe('11');
    expect(regionOfPostalCode('01000')).toBe('84');
    expect(regionOfPostalCode('02100')).toBe('32');
    expect(regionOfPostalCode('20000')).toBe('94');
    expect(regionOfPostalCode('2B200')).toBe('94');
    expect(regionOfPostalCode('97400')).toBe('04');
    expect(regionOfPostalCode('97600')).toBe('06');
  });

  it('gives none for what is not a region', () => {
    expect(regionOfPostalCode(null)).toBeNull();
    expect(regionOfPostalCode('')).toBeNull();
    expect(regionOfPostalCode('97500')).toBeNull(); // Saint-Pierre-et-Miquelon
    expect(regionOfPostalCode('98800')).toBeNull(); // Nouvelle-Calédonie
    expect(regionOfPostalCode('00000')).toBeNull();
  });

  it('places each of the 96 metropolitan départements in exactly one of 13 regions', () => {
    const metropolitan = regions.filter((r) => r.prefixes.every((p) => p.length === 2));
    expect(metropolitan).toHaveLength(13);
    const departements = metropolitan.flatMap((r) => r.prefixes.filter((p) => p !== '20'));
    expect(new Set(departements).size).toBe(departements.length);
    expect(departements).toHaveLength(96);
    for (let n = 1; n <= 95; n++) {
      if (n === 20) continue;
      const code = String(n).padStart(2, '0');
      expect(regionOfPostalCode(`${code}100`), code).not.toBeNull();
    }
  });

  it('gives back, for each region, the prefixes its postal codes start with', () => {
    for (const code of regionCodes)
      for (const prefix of postalPrefixesOf(code))
        expect(regionOfPostalCode(`${prefix}000`.slice(0, 5))).toBe(code);
  });
});
