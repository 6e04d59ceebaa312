import { deflateSync } from 'node:zlib';

/**
 * How a fiche's snapshot (its normalised record as JSON, without partners) is stored: zlib-compressed at
 * level 1 (fast; about a quarter of the text). The JSON import path carries it as base64 inside its
 * payload, the COPY path as bytea hex. The database side reads it back with decodeSnapshot
 * (src/db/snapshot-codec.ts).
 */
export function compressSnapshot(json: string): Buffer {
  return deflateSync(Buffer.from(json, 'utf8'), { level: 1 });
}

/** The compressed snapshot in base64 (the JSON import path). */
export function encodeSnapshot(json: string): string {
  return compressSnapshot(json).toString('base64');
}
