import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { uploadIssueCodes } from '../../../core/chain/upload-issue-codes.js';
import { en } from '../../i18n/en.js';
import { fr } from '../../i18n/fr.js';
import { uploadIssueText } from './upload-issue-text.js';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng: 'fr',
    contextSeparator: '~',
    interpolation: { escapeValue: false },
  });
});

describe('upload problems in the user’s language', () => {
  it('words a known code in French with its params, and in English', async () => {
    const issue = {
      message: '« 31/02/2026 » is not a calendar date',
      code: 'not_a_calendar_date',
      params: { value: '31/02/2026' },
    };
    expect(uploadIssueText(issue, i18n.t)).toBe('« 31/02/2026 » n’est pas une date du calendrier');
    expect(
      uploadIssueText({ message: 'x', code: 'duplicate_result', params: { line: 4 } }, i18n.getFixedT('en')),
    ).toBe('A second result for the same candidate and block or task (line 4)');
  });

  it('falls back to the server’s message for an unknown code or none', () => {
    expect(uploadIssueText({ message: 'something new happened', code: 'brand_new' }, i18n.t)).toBe(
      'something new happened',
    );
    expect(uploadIssueText({ message: 'TVA missing' }, i18n.t)).toBe('TVA missing');
  });

  it('has a text for every code the server sends, in both languages, with every placeholder filled', () => {
    const params = { value: 'v', allowed: 'a, b', start: 's', min: 0, max: 9, line: 3, code: 'C' };
    const all = {
      ...params,
      certification: 'RNCP1',
      reference: 'R',
      name: 'N',
      birthDate: 'B',
      // File-level problems
      file: 'f.csv',
      found: 'modele-sessions-candidats',
      expected: 'modele-resultats-evaluation',
      byte: '0x81',
      utf8Line: 2,
      reason: 'r',
      count: 60000,
    };
    for (const lng of ['fr', 'en'])
      for (const code of uploadIssueCodes) {
        const key = `chain.uploadIssue.${code}`;
        expect(i18n.exists(key, { lng }), `${lng} ${key}`).toBe(true);
        const text = uploadIssueText(
          { message: 'fallback', code, params: { ...all, column: 'col' } },
          i18n.getFixedT(lng),
        );
        expect(text).not.toBe('fallback');
        expect(text, `${lng} ${code}`).not.toMatch(/\{\{/);
      }
  });
});
