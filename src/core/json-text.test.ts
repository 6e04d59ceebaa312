import { describe, expect, it } from 'vitest';
import { JsonText, stringifyWithText } from './json-text.js';

describe('stringifyWithText', () => {
  it('puts each JsonText in as it is, anywhere in the value', () => {
    const evidence = JSON.stringify({ offers: [{ id: 'a', title: 'Titre « x »\n' }], count: 2 });
    const value = [
      { key: 'k1', source: { rule: 'r', evidence: new JsonText(evidence) } },
      new JsonText('[1,2]'),
    ];
    const text = stringifyWithText(value);
    expect(JSON.parse(text)).toEqual([
      { key: 'k1', source: { rule: 'r', evidence: JSON.parse(evidence) } },
      [1, 2],
    ]);
  });

  it('leaves strings that look like a placeholder alone', () => {
    const value = { a: '\u00000', b: '\u0000abc:0"', c: new JsonText('true') };
    expect(JSON.parse(stringifyWithText(value))).toEqual({ a: '\u00000', b: '\u0000abc:0"', c: true });
  });

  it('is JSON.stringify when there is no JsonText', () => {
    const value = { a: [1, 'x', null], b: { c: 'é\u0000' } };
    expect(stringifyWithText(value)).toBe(JSON.stringify(value));
  });
});
