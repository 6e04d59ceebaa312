import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  createDecoder,
  encodingFromXmlDeclaration,
  InvalidEncodingError,
  looksLikeUtf8,
  validUtf8Prefix,
} from './decode.js';

/** Splits `bytes` at the given cut points (any order, any value): the chunks a stream could deliver. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(start, p));
    start = p;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

describe('the strict UTF-8 decoder', () => {
  it('gives back any text whatever the chunks it comes in', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const decoder = createDecoder('utf-8');
        const out =
          split(Buffer.from(text, 'utf8'), cuts)
            .map((c) => decoder.write(c))
            .join('') + decoder.end();
        expect(out).toBe(text);
      }),
    );
  });

  it('agrees with a fatal TextDecoder on arbitrary bytes, and keeps what came before the bad byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        const { length, truncated } = validUtf8Prefix(bytes);
        expect(length === bytes.length && !truncated).toBe(valid);
        const decoder = createDecoder('utf-8');
        try {
          const text = decoder.write(bytes) + decoder.end();
          expect(valid).toBe(true);
          expect(text).toBe(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
        } catch (error) {
          expect(valid).toBe(false);
          expect(error).toBeInstanceOf(InvalidEncodingError);
          expect(Buffer.from((error as InvalidEncodingError).validText, 'utf8').length).toBeLessThanOrEqual(
            bytes.length,
          );
        }
      }),
    );
  });

  it('drops a byte-order mark once, at the start', () => {
    const decoder = createDecoder('utf-8');
    expect(decoder.write(Buffer.from('\uFEFF<a>\uFEFF', 'utf8')) + decoder.end()).toBe('<a>\uFEFF');
  });
});

describe('encoding detection', () => {
  it('tells UTF-8 from Windows-1252 on a sample, a cut sequence at its end allowed', () => {
    const utf8 = Buffer.from('"RNCP509";"Agent vérificateur"', 'utf8');
    expect(looksLikeUtf8(utf8)).toBe(true);
    expect(looksLikeUtf8(utf8.subarray(0, utf8.indexOf(0xa9)))).toBe(true);
    expect(looksLikeUtf8(iconv.encode('"Agent vérificateur d’appareils"', 'windows-1252'))).toBe(false);
  });

  it('reads the encoding of an XML declaration', () => {
    expect(encodingFromXmlDeclaration(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a/>'))).toBe(
      'ISO-8859-1',
    );
    expect(
      encodingFromXmlDeclaration(Buffer.from("\uFEFF<?xml version='1.0' encoding='utf-8' standalone='no'?>")),
    ).toBe('utf-8');
    expect(encodingFromXmlDeclaration(Buffer.from('<FICHES/>'))).toBeNull();
  });
});
