import iconv from 'iconv-lite';
import type { DetectedEncoding } from './import-item.js';
import { importRejected } from './import-item.js';

/**
 * Streaming text decoding with encoding detection, for the public files certifiers download and sometimes
 * re-save: UTF-8 with or without BOM, Windows-1252 (Excel's « CSV (séparateur : point-virgule) »), and
 * UTF-16 when it has its byte-order mark.
 */

/** Bytes Windows-1252 leaves undefined: a text holding them is in no encoding this decoder accepts. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

export interface Utf8Check {
  /** Offset of the first byte that cannot start or continue a UTF-8 sequence, or -1. */
  invalidAt: number;
  /** Bytes at the end that start a sequence the input cuts short (0 to 3). */
  incompleteTail: number;
  /** Whether at least one complete multi-byte sequence was seen. */
  sawMultiByte: boolean;
}

/**
 * Checks bytes as UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). A sequence cut
 * by the end of the input is reported as an incomplete tail, not as invalid, so chunks can be checked
 * one at a time.
 */
export function checkUtf8(bytes: Uint8Array, start = 0): Utf8Check {
  let sawMultiByte = false;
  let i = start;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min2 = 0x80;
    let max2 = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min2 = 0xa0; // overlong
      if (b === 0xed) max2 = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min2 = 0x90; // overlong
      if (b === 0xf4) max2 = 0x8f; // above U+10FFFF
    } else return { invalidAt: i, incompleteTail: 0, sawMultiByte };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { invalidAt: -1, incompleteTail: n - i, sawMultiByte };
      const c = bytes[i + k]!;
      const lo = k === 1 ? min2 : 0x80;
      const hi = k === 1 ? max2 : 0xbf;
      if (c < lo || c > hi) return { invalidAt: i, incompleteTail: 0, sawMultiByte };
    }
    sawMultiByte = true;
    i += need + 1;
  }
  return { invalidAt: -1, incompleteTail: 0, sawMultiByte };
}

/**
 * Guesses the encoding of a sample that starts at a non-ASCII byte: UTF-8 when the sample is valid UTF-8;
 * Windows-1252 when it is not and uses no byte 1252 leaves undefined; `mixed` when it is not valid UTF-8
 * yet holds UTF-8 French letters (`Ã©` read as 1252: a letter 1252 text practically never has); null when
 * it is neither. `undecided`: the sample is one unfinished UTF-8 sequence, wait for more bytes.
 */
export function detectEncoding(sample: Uint8Array): 'utf-8' | 'windows-1252' | 'mixed' | 'undecided' | null {
  const check = checkUtf8(sample);
  if (check.invalidAt === -1) {
    return check.sawMultiByte ? 'utf-8' : check.incompleteTail > 0 ? 'undecided' : 'utf-8';
  }
  for (const b of sample) if (CP1252_UNDEFINED.has(b)) return null;
  return utf8LetterAt(sample) === -1 ? 'windows-1252' : 'mixed';
}

/** Offset of the first UTF-8 encoded Latin-1 letter (`C3 80`–`C3 BF`: À…ÿ), or -1. */
function utf8LetterAt(bytes: Uint8Array): number {
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0xc3 && bytes[i + 1]! >= 0x80 && bytes[i + 1]! <= 0xbf) {
      // In 1252 this would read « Ã » followed by a symbol or a capital: not French text.
      return i;
    }
  }
  return -1;
}

/** Counts `\n` in a string, natively (indexOf) rather than character by character. */
export function countNewlines(text: string, end = text.length): number {
  let count = 0;
  let at = text.indexOf('\n');
  while (at !== -1 && at < end) {
    count++;
    at = text.indexOf('\n', at + 1);
  }
  return count;
}

function countNewlineBytes(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) count++;
  return count;
}

/** Bytes from the first non-ASCII one on that the encoding is judged on (the rest of the file if shorter). */
const DECISION_SAMPLE = 4096;

const NON_ASCII = /[\u0080-\u00ff]/;

type Mode = 'head' | 'ascii' | 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/**
 * Decodes a byte stream chunk by chunk. Until the first non-ASCII byte the text is the same in every
 * accepted encoding, so the choice waits for it and is made on the 4 KB from there (or the rest of the
 * file): a Windows-1252 file whose first accent is far down is still read right. Bytes that are wrong for the chosen encoding, NUL bytes
 * (binary, or UTF-16 without BOM) and archives throw `import_rejected` naming the line.
 */
export class TextSourceDecoder {
  private mode: Mode = 'head';
  private head: Uint8Array = new Uint8Array(0);
  private held: Uint8Array = new Uint8Array(0);
  private utf8: TextDecoder | null = null;
  private utf8Tail: Uint8Array = new Uint8Array(0);
  private legacy: ReturnType<typeof iconv.getDecoder> | null = null;
  /** Newlines in the text returned so far: the line of the next byte is `lines + 1`. */
  private lines = 0;
  bom = false;

  constructor(
    private readonly fileName: string,
    private readonly forced?: 'utf-8' | 'windows-1252',
  ) {}

  /** The encoding chosen so far: `utf-8` while the text is pure ASCII. */
  get encoding(): DetectedEncoding {
    if (this.mode === 'windows-1252' || this.mode === 'utf-16le' || this.mode === 'utf-16be')
      return this.mode;
    return 'utf-8';
  }

  write(chunk: Uint8Array): string {
    if (this.mode === 'head') {
      this.head = concat(this.head, chunk);
      if (this.head.length < 4) return '';
      const head = this.head;
      this.head = new Uint8Array(0);
      return this.count(this.start(head));
    }
    return this.count(this.decode(chunk));
  }

  end(): string {
    let text = '';
    if (this.mode === 'head') {
      const head = this.head;
      this.head = new Uint8Array(0);
      text += this.start(head);
    }
    if (this.held.length > 0) {
      const held = this.held;
      this.held = new Uint8Array(0);
      text += this.decide(held);
    }
    if (this.utf8) {
      try {
        text += this.utf8.decode();
      } catch {
        throw importRejected(this.fileName, 'the file ends in the middle of a UTF-8 character (truncated?)', {
          line: this.lines + countNewlines(text) + 1,
          reason: 'encoding',
        });
      }
    }
    if (this.legacy) text += this.legacy.end() ?? '';
    return this.count(text);
  }

  private count(text: string): string {
    this.lines += countNewlines(text);
    return text;
  }

  private start(head: Uint8Array): string {
    const b0 = head[0];
    const b1 = head[1];
    if (b0 === 0x50 && b1 === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
      throw importRejected(
        this.fileName,
        'this is a ZIP archive (an XLSX workbook?), not a CSV or JSON file',
        {
          line: 1,
          reason: 'not_text',
        },
      );
    }
    if (b0 === 0x1f && b1 === 0x8b) {
      throw importRejected(this.fileName, 'this file is gzip-compressed: decompress it first', {
        line: 1,
        reason: 'not_text',
      });
    }
    if (b0 === 0xef && b1 === 0xbb && head[2] === 0xbf) {
      this.bom = true;
      if (this.forced === 'windows-1252') return this.startLegacy('windows-1252', head.subarray(3));
      return this.startUtf8(head.subarray(3));
    }
    if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
      this.bom = true;
      return this.startLegacy(b0 === 0xff ? 'utf-16le' : 'utf-16be', head.subarray(2));
    }
    if (this.forced === 'utf-8') return this.startUtf8(head);
    if (this.forced === 'windows-1252') return this.startLegacy('windows-1252', head);
    this.mode = 'ascii';
    return this.decode(head);
  }

  private decode(chunk: Uint8Array): string {
    switch (this.mode) {
      case 'ascii':
        return this.decodeUndecided(chunk);
      case 'utf-8':
        return this.decodeUtf8(chunk);
      default:
        // UTF-16 is full of NUL bytes by design; in 1252 a NUL means binary.
        if (this.mode === 'windows-1252') this.refuseNul(chunk);
        return this.legacy!.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  }

  private decodeUndecided(chunk: Uint8Array): string {
    const bytes = this.held.length > 0 ? concat(this.held, chunk) : chunk;
    this.held = new Uint8Array(0);
    const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const first = latin1.search(NON_ASCII);
    this.refuseNul(bytes, first === -1 ? bytes.length : first);
    if (first === -1) return latin1;
    const prefix = latin1.slice(0, first);
    const rest = bytes.subarray(first);
    if (rest.length < DECISION_SAMPLE) {
      // Too few bytes to judge (a 1252 « é€€ » is valid UTF-8): wait for more, or for the end.
      this.held = rest.slice();
      return prefix;
    }
    // Errors in the rest must count the prefix's lines, which `write` has not counted yet.
    const prefixLines = countNewlines(prefix);
    this.lines += prefixLines;
    try {
      return prefix + this.decide(rest);
    } finally {
      this.lines -= prefixLines;
    }
  }

  /** Chooses the encoding on a sample starting at the first non-ASCII byte, and decodes it. */
  private decide(sample: Uint8Array): string {
    const guess = detectEncoding(sample);
    const lineAt = (at: number) => this.lines + countNewlineBytes(sample, at) + 1;
    if (guess === null) {
      const at = sample.findIndex((b) => CP1252_UNDEFINED.has(b));
      throw importRejected(
        this.fileName,
        `byte 0x${sample[at]!.toString(16)} is neither UTF-8 nor Windows-1252: save the file as UTF-8`,
        { line: lineAt(at), reason: 'encoding' },
      );
    }
    if (guess === 'mixed') {
      const utf8Line = lineAt(utf8LetterAt(sample));
      const legacyLine = lineAt(checkUtf8(sample).invalidAt);
      throw importRejected(
        this.fileName,
        `the file mixes encodings: UTF-8 on line ${utf8Line}, Windows-1252 on line ${legacyLine}: save it again as UTF-8`,
        { line: Math.max(utf8Line, legacyLine), reason: 'encoding' },
      );
    }
    // `undecided` here means the file ends inside its first non-ASCII sequence: not UTF-8.
    return this.choose(sample, guess === 'utf-8' ? 'utf-8' : 'windows-1252');
  }

  private choose(bytes: Uint8Array, encoding: 'utf-8' | 'windows-1252'): string {
    return encoding === 'utf-8' ? this.startUtf8(bytes) : this.startLegacy('windows-1252', bytes);
  }

  private startUtf8(bytes: Uint8Array): string {
    this.mode = 'utf-8';
    this.utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    return this.decodeUtf8(bytes);
  }

  private startLegacy(encoding: 'windows-1252' | 'utf-16le' | 'utf-16be', bytes: Uint8Array): string {
    this.mode = encoding;
    this.legacy = iconv.getDecoder(encoding === 'windows-1252' ? 'win1252' : encoding, { stripBOM: false });
    return this.decode(bytes);
  }

  private decodeUtf8(chunk: Uint8Array): string {
    this.refuseNul(chunk);
    let text: string;
    try {
      text = this.utf8!.decode(chunk, { stream: true });
    } catch {
      // Locate the bad byte: re-check the chunk with the unfinished sequence the previous chunk ended on.
      const joined = concat(this.utf8Tail, chunk);
      const at = Math.max(0, checkUtf8(joined).invalidAt);
      const line = this.lines + countNewlineBytes(joined, at) + 1;
      const hint =
        this.forced === 'utf-8'
          ? 'the file is not valid UTF-8'
          : 'the file is not valid UTF-8 here although it was earlier (mixed encodings?): save it again as UTF-8';
      throw importRejected(this.fileName, hint, { line, reason: 'encoding' });
    }
    const tail = checkUtf8(chunk, Math.max(0, chunk.length - 3)).incompleteTail;
    this.utf8Tail = tail > 0 ? chunk.slice(chunk.length - tail) : new Uint8Array(0);
    return text;
  }

  private refuseNul(bytes: Uint8Array, end = bytes.length): void {
    const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(0);
    if (at === -1 || at >= end) return;
    throw importRejected(
      this.fileName,
      'the file holds NUL bytes: a binary file, or UTF-16 without its byte-order mark, not a text file',
      { line: this.lines + countNewlineBytes(bytes, at) + 1, reason: 'not_text' },
    );
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Where bytes come from: a file stream, any async iterable of chunks, or one buffer. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;

/**
 * Decodes a byte source into text chunks, detecting the encoding (or using the forced one), and calls
 * `onEncoding` once the text is complete so the caller can report it.
 */
export async function* decodeText(
  source: ByteSource,
  fileName: string,
  forced?: 'utf-8' | 'windows-1252',
  decoder: TextSourceDecoder = new TextSourceDecoder(fileName, forced),
): AsyncGenerator<string> {
  const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> =
    source instanceof Uint8Array ? splitBuffer(source) : source;
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

function* splitBuffer(buffer: Uint8Array, size = 64 * 1024): Generator<Uint8Array> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}
