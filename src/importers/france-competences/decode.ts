import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * Bytes to text for the importers, chunk by chunk. UTF-8 is decoded strictly: the first byte sequence that
 * is not UTF-8 stops the import with its position (a file saved in another encoding than it says must not
 * be read as mojibake). Single-byte encodings (Windows-1252, ISO-8859-1) cannot fail and go through
 * iconv-lite.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-1' | string;

/** Thrown by a strict UTF-8 decoder: `validText` is what came before the bad bytes, in the same chunk. */
export class InvalidEncodingError extends Error {
  constructor(
    readonly validText: string,
    readonly byte: number,
  ) {
    super(`invalid UTF-8 byte 0x${byte.toString(16).padStart(2, '0')}`);
    this.name = 'InvalidEncodingError';
  }
}

export interface ChunkDecoder {
  readonly encoding: TextEncodingName;
  write(chunk: Uint8Array): string;
  end(): string;
}

/**
 * The number of leading bytes of `bytes` that form complete, valid UTF-8 sequences, and whether the rest is
 * only an incomplete sequence cut by the end of the buffer (which the next chunk may complete).
 */
export function validUtf8Prefix(bytes: Uint8Array): { length: number; truncated: boolean } {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return { length: i, truncated: false };
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { length: i, truncated: true };
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return { length: i, truncated: false };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { length: i, truncated: false };
    i += need + 1;
  }
  return { length: n, truncated: false };
}

/** Whether a sample (the start of a file) reads as UTF-8; a sequence cut by the sample's end is allowed. */
export function looksLikeUtf8(sample: Uint8Array): boolean {
  const { length, truncated } = validUtf8Prefix(sample);
  return length === sample.length || truncated;
}

/** The bytes at the end of `chunk` that start a UTF-8 sequence the chunk does not finish. */
function incompleteTail(chunk: Uint8Array): Uint8Array {
  const n = chunk.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = chunk[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? chunk.subarray(n - back) : chunk.subarray(n);
  }
  return chunk.subarray(n);
}

class StrictUtf8Decoder implements ChunkDecoder {
  readonly encoding = 'utf-8';
  /** An unfinished sequence at the end of the previous chunk, completed by the next one. */
  private carry: Buffer = Buffer.alloc(0);
  private started = false;

  write(chunk: Uint8Array): string {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.carry.length) bytes = Buffer.concat([this.carry, bytes]);
    const tail = incompleteTail(bytes).length;
    const whole = tail ? bytes.subarray(0, bytes.length - tail) : bytes;
    // isUtf8 (simdutf) then toString is several times faster than a fatal TextDecoder.
    if (!isUtf8(whole)) {
      const { length } = validUtf8Prefix(whole);
      throw new InvalidEncodingError(whole.subarray(0, length).toString('utf8'), whole[length] ?? 0);
    }
    this.carry = tail ? Buffer.from(bytes.subarray(bytes.length - tail)) : Buffer.alloc(0);
    let text = whole.toString('utf8');
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  end(): string {
    // The file ends in the middle of a multi-byte sequence.
    if (this.carry.length) throw new InvalidEncodingError('', this.carry[0]!);
    return '';
  }
}

class IconvDecoder implements ChunkDecoder {
  private readonly decoder: ReturnType<typeof iconv.getDecoder>;
  constructor(readonly encoding: TextEncodingName) {
    this.decoder = iconv.getDecoder(encoding, { stripBOM: true });
  }
  write(chunk: Uint8Array): string {
    return this.decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  end(): string {
    return this.decoder.end() ?? '';
  }
}

/** Whether iconv-lite (or the strict UTF-8 decoder) can read this encoding name. */
export const isSupportedEncoding = (name: string): boolean =>
  /^utf-?8$/i.test(name) || iconv.encodingExists(name);

/** A decoder for the encoding: strict for UTF-8 (a BOM is dropped), iconv-lite for the others. */
export function createDecoder(encoding: TextEncodingName): ChunkDecoder {
  if (/^utf-?8$/i.test(encoding)) return new StrictUtf8Decoder();
  return new IconvDecoder(encoding);
}

/** The encoding named by a byte-order mark at the start of a file, if any. */
export function encodingFromBom(head: Uint8Array): TextEncodingName | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/** The `encoding` of an XML declaration at the start of an (ASCII-compatible) file, if it has one. */
export function encodingFromXmlDeclaration(head: Uint8Array): string | null {
  const start = Buffer.from(head.subarray(0, 200)).toString('latin1');
  const m = /^(?:\uFEFF|ï»¿)?\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(start);
  return m ? m[1]! : null;
}
