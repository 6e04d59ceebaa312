import { deflateSync } from 'node:zlib';

/**
 * How a fiche's snapshot (its normalised record as JSON, without partners) is stored: zlib-compressed at
 * level 1 (fast; about a quarter of the text), carried to the database as base64 inside the import's JSON
 * payload. The database side reads it back with decodeSnapshot (src/db/snapshot-codec.ts).
 */
export function encodeSnapshot(json: string): string {
  return deflateSync(Buffer.from(json, 'utf8'), { level: 1 }).toString('base64');
}
