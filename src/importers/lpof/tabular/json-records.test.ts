import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors.js';
import { type JsonElement, JsonRecordScanner } from './json-records.js';

/** Scans `text` cut at the given offsets (every 5 characters by default). */
function scan(text: string, cuts: number[] = []) {
  const scanner = new JsonRecordScanner('offers.json');
  const offsets = cuts.length > 0 ? [...cuts].sort((a, b) => a - b) : [];
  if (cuts.length === 0) for (let i = 5; i < text.length; i += 5) offsets.push(i);
  const elements: JsonElement[] = [];
  let at = 0;
  for (const cut of [...offsets.filter((c) => c < text.length), text.length]) {
    elements.push(...scanner.push(text.slice(at, cut)));
    at = Math.max(at, cut);
  }
  elements.push(...scanner.end());
  return { elements, layout: scanner.layout };
}

function scanError(text: string): AppError {
  try {
    scan(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the scan to fail');
}

describe(JsonRecordScanner.name, () => {
  it('finds the records of a top-level array with the line each starts on', () => {
    const { elements, layout } = scan('[\n  {"a": 1},\n  {"b": "x\\"}y", "c": [1, {"d": 2}]}\n]\n');
    expect(layout).toBe('json');
    expect(elements).toEqual([
      { line: 2, text: '{"a": 1}' },
      { line: 3, text: '{"b": "x\\"}y", "c": [1, {"d": 2}]}' },
    ]);
  });

  it('finds the records of an Opendatasoft answer under `results`, skipping the wrapper', () => {
    const text = '{"_comment": "results", "total_count": 2,\n "results": [{"a": 1},\n {"a": 2}]}';
    const { elements } = scan(text);
    expect(elements.map((e) => [e.line, JSON.parse(e.text)])).toEqual([
      [2, { a: 1 }],
      [3, { a: 2 }],
    ]);
  });

  it('reads NDJSON, returning a line that stops mid-record as broken and going on', () => {
    const { elements, layout } = scan('{"a":1}\n{"a":2}\n{"a":3, "b": "cut\n{"a":4}\n');
    expect(layout).toBe('ndjson');
    expect(elements).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"a":2}' },
      { line: 3, text: '{"a":3, "b": "cut', broken: true },
      { line: 4, text: '{"a":4}' },
    ]);
  });

  it('reads pretty-printed objects one after the other', () => {
    const { elements, layout } = scan('{\n  "a": 1\n}\n{\n  "a": 2\n}\n');
    expect(layout).toBe('json');
    expect(elements.map((e) => e.line)).toEqual([1, 4]);
  });

  it('refuses a truncated array, naming the record it stops in', () => {
    const error = scanError('[\n{"a": 1},\n{"a": 2, "b"');
    expect(error.message).toBe(
      'offers.json: line 3: the file ends inside the record that starts on line 3 (truncated?)',
    );
  });

  it('refuses an array never closed, garbage between records, a trailing comma and non-record values', () => {
    expect(scanError('[{"a": 1}\n').message).toMatch(/ends before its JSON document is closed/);
    expect(scanError('[{"a": 1}\n{"a": 2}]').message).toBe(
      'offers.json: line 2: expected , or ] between records, found {',
    );
    expect(scanError('[{"a": 1},]').message).toMatch(/a record is missing before this \]/);
    expect(scanError('[1, 2]').message).toMatch(/expected a record \(a JSON object\), found 1/);
    expect(scanError('id;siret\n').message).toMatch(/this is not JSON/);
    expect(scanError('[{"a": 1}] trailing').message).toMatch(/after the end of the JSON document/);
    expect(scanError('  ').message).toMatch(/empty/);
  });

  const records = fc.array(
    fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.integer(), fc.constant(null), fc.boolean()),
      { maxKeys: 5 },
    ),
    { maxLength: 8 },
  );
  const cuts = fc.array(fc.nat({ max: 600 }), { maxLength: 10 });

  it('property: every record of an array comes back, whatever the indentation and chunking', () => {
    fc.assert(
      fc.property(records, fc.constantFrom(undefined, 2), cuts, (list, indent, at) => {
        const { elements } = scan(JSON.stringify(list, null, indent), at);
        expect(elements.map((e) => JSON.parse(e.text))).toEqual(list);
      }),
    );
  });

  it('property: every NDJSON record comes back on its own line, whatever the chunking', () => {
    fc.assert(
      fc.property(records, cuts, (list, at) => {
        fc.pre(list.length > 0);
        const { elements } = scan(`${list.map((r) => JSON.stringify(r)).join('\n')}\n`, at);
        expect(elements.map((e) => [e.line, JSON.parse(e.text)])).toEqual(list.map((r, i) => [i + 1, r]));
      }),
    );
  });
});
