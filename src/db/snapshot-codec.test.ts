import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSnapshot } from './snapshot-codec.js';

describe('decodeSnapshot', () => {
  it('reads a compressed snapshot, accents and escapes included', () => {
    const json = JSON.stringify({ title: 'Expert « l’œuvre »', text: 'a\n\t"b" \\ '.repeat(100) });
    const stored = deflateSync(Buffer.from(json), { level: 1 });
    expect(stored[0]).toBe(0x78);
    expect(decodeSnapshot(new Uint8Array(stored))).toBe(json);
  });

  it('reads a snapshot stored as plain UTF-8 text before compression', () => {
    const json = '{"title":"Vétérinaire"}';
    expect(decodeSnapshot(new TextEncoder().encode(json))).toBe(json);
  });
});
