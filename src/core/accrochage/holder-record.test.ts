import { describe, expect, it } from 'vitest';
import { buildHolderRecord } from './holder-record.fixture.js';
import { checkHolderRecord, describeHolder, fieldLabel, splitFirstNames } from './holder-record.js';
import type { AccrochageHolderRecordInput } from './holder-record.schema.js';

/** The messages of a record that must be left out (fails the test when the record passes). */
function messagesOf(input: unknown): string[] {
  const check = checkHolderRecord(input, 0);
  if (check.ok) throw new Error('expected the record to be left out');
  return check.leftOut.messages;
}

const record = (n: number, overrides: Partial<AccrochageHolderRecordInput> = {}) =>
  buildHolderRecord(n, overrides);
const withHolder = (changes: Record<string, unknown>) => {
  const base = buildHolderRecord(1);
  return { ...base, holder: { ...(base.holder as object), ...changes } };
};

describe('checkHolderRecord', () => {
  it('accepts the synthetic series and applies defaults', () => {
    for (let n = 1; n <= 50; n++) {
      const check = checkHolderRecord(record(n), n);
      expect(check.ok, `record ${n}`).toBe(true);
    }
    const check = checkHolderRecord(record(1), 0);
    expect(check.ok && check.record.obtainedBy).toBe('admission');
    expect(check.ok && check.record.skillBlockCodes).toEqual([]);
  });

  it('says "birth place missing" for a holder born nowhere, naming the holder', () => {
    const messages = messagesOf(withHolder({ birthPlaceCode: null, birthCountryCode: null }));
    expect(messages).toEqual([
      'BERNARD Dominique (certificate 2026-000001): birth place missing (the INSEE code of the commune of birth, or the country for a birth abroad)',
    ]);
  });

  it('reports every wrong field at once, the birth place included', () => {
    const messages = messagesOf(
      withHolder({ birthPlaceCode: undefined, birthName: 'A'.repeat(61), sex: 'X', firstNames: [] }),
    );
    expect(messages).toHaveLength(4);
    expect(messages.join('\n')).toContain('birth name too long (at most 60 characters)');
    expect(messages.join('\n')).toContain('sex must be one of M, F');
    expect(messages.join('\n')).toContain('first names missing (at least one)');
    expect(messages.join('\n')).toContain('birth place missing');
  });

  it('counts lengths in characters as the XSD does, not UTF-16 units', () => {
    // 60 letters outside the BMP are 120 UTF-16 units but 60 characters: not too long. They are not letters
    // a name may hold either (𝐀 is a mathematical symbol), so use them in a free text field.
    const sixty = '𝒜'.repeat(60);
    expect(checkHolderRecord(record(1, { optionTitle: `${sixty}${'x'.repeat(195)}` }), 0).ok).toBe(true);
    expect(messagesOf(record(1, { optionTitle: `${sixty}${'x'.repeat(196)}` }))[0]).toContain(
      'option title too long (at most 255 characters)',
    );
    expect(checkHolderRecord(withHolder({ birthName: 'É'.repeat(60) }), 0).ok).toBe(true);
  });

  it('refuses characters XML cannot carry, and names with digits', () => {
    expect(messagesOf(record(1, { optionTitle: 'Option\u0007A' }))[0]).toContain(
      'option title contains a control or invalid character',
    );
    expect(messagesOf(record(1, { score: 'bad \ud800 surrogate' }))[0]).toContain('score contains a control');
    expect(messagesOf(withHolder({ birthName: 'MARTIN2' }))[0]).toContain(
      'birth name must contain only letters, spaces, hyphens and apostrophes',
    );
  });

  it('keeps names as the registry writes them, spaces collapsed', () => {
    const check = checkHolderRecord(
      withHolder({ birthName: "  N'DIAYE   DE  LA  CROIX ", usageName: 'Lefèvre-Núñez' }),
      0,
    );
    expect(check.ok && check.record.holder.birthName).toBe("N'DIAYE DE LA CROIX");
    expect(check.ok && check.record.holder.usageName).toBe('Lefèvre-Núñez');
  });

  it('checks dates: calendar, 1900–2099, and their order', () => {
    expect(messagesOf(record(1, { awardedOn: '2026-02-30' }))[0]).toContain(
      'award date is not a calendar date',
    );
    expect(messagesOf(record(1, { awardedOn: '20/02/2026' }))[0]).toContain(
      'award date is not a date as YYYY-MM-DD',
    );
    expect(messagesOf(record(1, { expiresOn: '2100-01-01' }))[0]).toContain(
      'end of validity is outside 1900–2099',
    );
    expect(messagesOf(record(1, { expiresOn: '2026-02-20' }))[0]).toContain(
      'end of validity is not after the award date (2026-02-20)',
    );
    expect(messagesOf(withHolder({ birthDate: '2026-03-01' }))[0]).toContain(
      'birth date is not before the award date (2026-02-20)',
    );
    expect(
      messagesOf(record(1, { assessment: { startsOn: '2026-02-12', endsOn: '2026-02-11' } }))[0],
    ).toContain('assessment end date is before the assessment start (2026-02-12)');
    expect(messagesOf(record(1, { registration: { registeredOn: '2026-03-01' } }))[0]).toContain(
      'registration date is after the award date',
    );
  });

  it('takes a birth abroad by country, and refuses a commune with a foreign country', () => {
    expect(checkHolderRecord(withHolder({ birthPlaceCode: null, birthCountryCode: '99109' }), 0).ok).toBe(
      true,
    );
    expect(checkHolderRecord(withHolder({ birthPlaceCode: '69123', birthCountryCode: '99100' }), 0).ok).toBe(
      true,
    );
    expect(messagesOf(withHolder({ birthPlaceCode: '69123', birthCountryCode: '99350' }))[0]).toContain(
      'birth country contradicts the commune of birth',
    );
    expect(messagesOf(withHolder({ birthPlaceCode: '99350' }))[0]).toContain('birth place is a country code');
    expect(messagesOf(withHolder({ birthPlaceCode: null, birthCountryCode: '350' }))[0]).toContain(
      'birth country is not an INSEE country code',
    );
  });

  it('needs the score of a certification obtained by scoring, and VAE for a VAE route', () => {
    expect(messagesOf(record(1, { obtainedBy: 'scoring' }))[0]).toContain(
      'score missing (the certification is obtained by scoring)',
    );
    expect(checkHolderRecord(record(1, { obtainedBy: 'scoring', score: '812/1000' }), 0).ok).toBe(true);
    expect(messagesOf(record(1, { accessRoute: 'apprenticeship', vaeRoute: 'vae_leave' }))[0]).toContain(
      'VAE route is given but the access route is not VAE',
    );
  });

  it('refuses wrong codes and identifiers', () => {
    expect(messagesOf(record(1, { certificationCode: 'RNCP-37674' }))[0]).toContain(
      'certification code is not valid',
    );
    expect(messagesOf(record(1, { certificateId: 'abc' }))[0]).toContain('certificate id is not a UUID');
    expect(messagesOf(record(1, { certificateNumber: '2026 123' }))[0]).toContain(
      'certificate number must be',
    );
    expect(messagesOf(record(1, { proofUrl: 'verify/ABC' }))[0]).toContain('proof URL is not an http(s) URL');
    expect(messagesOf(record(1, { honours: 'summa' as never }))[0]).toContain('honours must be one of none');
  });

  it('leaves out a certification by blocks only, saying why', () => {
    const messages = messagesOf(record(1, { skillBlockCodes: ['RNCP37674BC01', 'RNCP37674BC02'] }));
    expect(messages).toEqual([
      'BERNARD Dominique (certificate 2026-000001): skill blocks show a certification by blocks only (RNCP37674BC01, RNCP37674BC02): the accrochage flux describes a whole certification, so it is not sent',
    ]);
  });

  it('names unknown fields, and a record that is not one', () => {
    expect(messagesOf({ ...record(1), nir: '1234' })).toEqual([
      'BERNARD Dominique (certificate 2026-000001): nir is not a field of a holder record',
    ]);
    expect(messagesOf(null)).toEqual(['record #1: record missing']);
    const leftOut = checkHolderRecord({}, 4);
    expect(!leftOut.ok && leftOut.leftOut.issues.map((i) => i.field)).toEqual([
      'certificateId',
      'certificateNumber',
      'certificationCode',
      'awardedOn',
      'holder',
    ]);
    expect(!leftOut.ok && leftOut.leftOut.messages[0]).toBe('record #5: certificate id missing');
  });

  it('gives the left-out record its identifiers, for the caller to act on', () => {
    const check = checkHolderRecord(withHolder({ sex: null }), 7);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.leftOut).toMatchObject({
      index: 7,
      certificateId: '00000000-0000-4000-8000-000000000001',
      certificateNumber: '2026-000001',
      issues: [{ field: 'holder.sex', label: 'sex', message: 'missing' }],
    });
  });
});

describe('describeHolder', () => {
  it('uses what it can read', () => {
    expect(describeHolder(record(2), 0)).toBe('DUBOIS Léa (certificate 2026-000002)');
    expect(describeHolder({ certificateNumber: '2026-000009' }, 3)).toBe('certificate 2026-000009');
    expect(describeHolder('garbage', 3)).toBe('record #4');
  });
});

describe('fieldLabel', () => {
  it('reads list indices as any item', () => {
    expect(fieldLabel(['holder', 'firstNames', 2])).toBe('first name');
    expect(fieldLabel(['somethingNew'])).toBe('somethingNew');
  });
});

describe('splitFirstNames', () => {
  it('splits on commas when there are any, else on spaces', () => {
    expect(splitFirstNames('Camille Marie')).toEqual(['Camille', 'Marie']);
    expect(splitFirstNames(' Jean Pierre ,  Marie ')).toEqual(['Jean Pierre', 'Marie']);
    expect(splitFirstNames('Jean-Baptiste')).toEqual(['Jean-Baptiste']);
    expect(splitFirstNames('  ')).toEqual([]);
  });
});
