import { inflateSync } from 'node:zlib';

const OPEN_BRACE = 0x7b;

/**
 * A stored fiche snapshot (fc_fiches.snapshot) → its JSON text. The importer stores it zlib-compressed
 * (src/importers/france-competences/snapshot-codec.ts); rows stored before migration 2026-11-23T1400 are
 * their UTF-8 text. A zlib stream starts with 0x78 and JSON with "{", so the first byte tells them apart.
 */
export function decodeSnapshot(stored: Uint8Array): string {
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  return bytes[0] === OPEN_BRACE ? bytes.toString('utf8') : inflateSync(bytes).toString('utf8');
}
