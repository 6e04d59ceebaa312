import { describe, expect, it } from 'vitest';
import { birthPlaceIssues, candidateInput } from './candidate.schema.js';

const valid = {
  birthName: 'Dupont',
  firstNames: 'Marie Anne',
  sex: 'F',
  birthDate: '1990-04-12',
  birthPlaceCode: '69123',
  accessRoute: 'continuing_training',
};

const fieldsOf = (input: unknown) => {
  const r = candidateInput.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('/'));
};

describe('candidate input', () => {
  it('accepts a French commune (Corsica too) or a foreign country of birth', () => {
    expect(fieldsOf(valid)).toEqual([]);
    expect(fieldsOf({ ...valid, birthPlaceCode: '2a004' })).toEqual([]);
    expect(candidateInput.parse({ ...valid, birthPlaceCode: '2a004' }).birthPlaceCode).toBe('2A004');
    expect(fieldsOf({ ...valid, birthPlaceCode: null, birthCountryCode: '99350' })).toEqual([]);
    expect(fieldsOf({ ...valid, birthCountryCode: '99100' })).toEqual([]);
  });

  it('refuses codes of the wrong shape, and a country given as a commune', () => {
    expect(fieldsOf({ ...valid, birthPlaceCode: '6912' })).toEqual(['birthPlaceCode']);
    expect(fieldsOf({ ...valid, birthPlaceCode: '2C004' })).toEqual(['birthPlaceCode']);
    expect(fieldsOf({ ...valid, birthPlaceCode: '99350' })).toEqual(['birthPlaceCode']);
    expect(fieldsOf({ ...valid, birthPlaceCode: null, birthCountryCode: '98350' })).toEqual([
      'birthCountryCode',
    ]);
  });

  it('needs a place of birth, and a commune cannot go with a foreign country', () => {
    expect(birthPlaceIssues({})).toHaveLength(1);
    expect(fieldsOf({ ...valid, birthPlaceCode: undefined })).toEqual(['birthPlaceCode']);
    expect(fieldsOf({ ...valid, birthCountryCode: '99350' })).toEqual(['birthCountryCode']);
  });

  it('takes names with accents, hyphens and apostrophes, not digits; sex is M or F', () => {
    expect(fieldsOf({ ...valid, birthName: "N'Diaye-Lefèvre", firstNames: 'Zoé' })).toEqual([]);
    expect(fieldsOf({ ...valid, birthName: 'Dupont2' })).toEqual(['birthName']);
    expect(fieldsOf({ ...valid, sex: 'X' })).toEqual(['sex']);
    expect(fieldsOf({ ...valid, accessRoute: 'cpf' })).toEqual(['accessRoute']);
    expect(fieldsOf({ ...valid, nickname: 'Mimi' })).toEqual(['']);
  });
});
