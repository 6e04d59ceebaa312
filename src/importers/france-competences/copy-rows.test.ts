import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyField } from '../../core/copy-text.js';
import { copyColumns } from '../../core/registry/copy-rows.js';
import { CopyBufferPool, CopyRowsBuilder } from './copy-rows.js';
import { openFranceCompetencesExport } from './export.js';
import { serialiseFiche } from './serialise.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const decoder = new TextDecoder();

/** PostgreSQL's reading of a COPY text field (the inverse of copyField for strings). */
const readField = (field: string): string | null =>
  field === '\\N' ? null : field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);

describe('COPY rows', () => {
  it('escape every value so that a field reads back as it was, whatever its characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const field = copyField(value);
        expect(field).not.toMatch(/[\t\n\r]/);
        expect(readField(field)).toBe(value);
      }),
    );
    expect(copyField(null)).toBe('\\N');
    expect(copyField(true)).toBe('t');
    expect(copyField(false)).toBe('f');
    expect(copyField(12)).toBe('12');
    expect(copyField(Number.NaN)).toBe('\\N');
  });

  it('hold one line per fiche, certifier, partner and history row, in the order of the column lists', async () => {
    const source = await openFranceCompetencesExport(path.join(fixtures, 'rncp-v4.1-fiches-sample.xml'));
    const builder = new CopyRowsBuilder('00000000-0000-4000-8000-000000000001');
    const fiches = [];
    for await (const { record, sourceHash } of source.entries()) {
      const fiche = serialiseFiche(record, sourceHash);
      builder.add(fiche, fiche.snapshotCompressed);
      fiches.push(fiche);
    }
    const rows = builder.take(new CopyBufferPool());
    expect(rows.fiches).toBe(fiches.length);
    expect(builder.size).toBe(0);
    const lines = (bytes: Uint8Array) =>
      decoder
        .decode(bytes)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t'));
    const ficheLines = lines(rows.fc_fiches);
    expect(ficheLines).toHaveLength(fiches.length);
    for (const [i, fiche] of fiches.entries()) {
      const fields = ficheLines[i]!;
      expect(fields).toHaveLength(copyColumns.fc_fiches.split(', ').length);
      expect(fields[0]).toBe(fiche.code);
      expect(fields[11]).toBe(fiche.hash);
      // bytea in hex, its backslash escaped: the compressed snapshot.
      expect(fields[12]!.startsWith('\\\\x')).toBe(true);
      expect(inflateSync(Buffer.from(fields[12]!.slice(3), 'hex')).toString('utf8')).toBe(fiche.snapshotJson);
    }
    const partnerLines = lines(rows.fc_declared_partners);
    expect(partnerLines).toHaveLength(fiches.reduce((n, f) => n + f.record.partners.length, 0));
    expect(partnerLines[0]).toHaveLength(copyColumns.fc_declared_partners.split(', ').length);
    const certifierLines = lines(rows.fc_fiche_certifiers);
    expect(certifierLines).toHaveLength(fiches.reduce((n, f) => n + f.record.certifiers.length, 0));
    const changeLines = lines(rows.fc_fiche_changes);
    expect(changeLines.map((l) => [l[1], l[2]])).toEqual(fiches.map((f) => [f.code, 'new']));
    expect(JSON.parse(readField(changeLines[0]![3]!)!)).toEqual({
      title: fiches[0]!.record.title,
      isActive: fiches[0]!.record.isActive,
    });
  });

  it('encode into buffers given back, the smallest that fits, and allocate only when none fits', () => {
    const pool = new CopyBufferPool();
    const text = 'Électricien d’équipement\t\\N\n'.repeat(4000);
    const first = pool.encode(text);
    expect(decoder.decode(first)).toBe(text);
    expect(first.byteLength).toBe(Buffer.byteLength(text));
    const small = pool.encode('x');
    expect(small.buffer).not.toBe(first.buffer);
    pool.release([first.buffer as ArrayBuffer, small.buffer as ArrayBuffer]);
    // The small buffer fits a short text; the large one is kept for the long one.
    const again = pool.encode('short line\n');
    expect(again.buffer).toBe(small.buffer);
    expect(decoder.decode(again)).toBe('short line\n');
    const long = pool.encode(`${text}more`);
    expect(long.buffer).toBe(first.buffer);
    expect(decoder.decode(long)).toBe(`${text}more`);
    // A text larger than every free buffer gets a new one, never a truncated view.
    pool.release([long.buffer as ArrayBuffer]);
    const larger = text.repeat(4);
    const grown = pool.encode(larger);
    expect(grown.buffer).not.toBe(long.buffer);
    expect(decoder.decode(grown)).toBe(larger);
    // A detached buffer (transferred away again) is not taken back: if it were, an empty text (0 bytes,
    // which a detached buffer "fits") would be encoded into it and throw.
    const detached = structuredClone(grown.buffer, { transfer: [grown.buffer as ArrayBuffer] });
    expect(detached.byteLength).toBeGreaterThan(0);
    expect(grown.buffer.byteLength).toBe(0);
    pool.release([grown.buffer as ArrayBuffer]);
    const empty = pool.encode('');
    expect(empty.byteLength).toBe(0);
    expect(empty.buffer).not.toBe(grown.buffer);
  });
});
