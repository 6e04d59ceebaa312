import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeSnapshot } from './snapshot-codec.js';

describe('encodeSnapshot', () => {
  it('gives base64 of a zlib stream of the JSON text, much smaller than the text', () => {
    const json = JSON.stringify({
      code: 'RNCP35419',
      text: 'Analyser, concevoir « piloter ».\n'.repeat(300),
    });
    const stored = Buffer.from(encodeSnapshot(json), 'base64');
    expect(stored[0]).toBe(0x78);
    expect(stored.length).toBeLessThan(json.length / 4);
    expect(inflateSync(stored).toString('utf8')).toBe(json);
  });
});
