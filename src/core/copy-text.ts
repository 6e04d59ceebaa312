// PostgreSQL's COPY text format, as the registry's parse worker and the CPF import write it (one line
// per row, fields separated by TAB).

const special = /[\\\t\n\r]/;
const specials = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * A value as a field of COPY's text format: `\N` for null (and for a number that is not finite, as JSON
 * has null for it), `t`/`f` for booleans, the four special characters escaped.
 */
export function copyField(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '\\N';
  return special.test(value) ? value.replace(specials, (c) => escapes[c]!) : value;
}

/**
 * COPY text gathered as bytes, line by line, in one buffer used again for every statement. Rows waiting
 * to be written live in a buffer outside V8's heap rather than as strings: a part of a few megabytes
 * takes long enough to fill that its strings would all outlive the young generation, to be promoted and
 * die in the old one, which V8 collects only when its heap has grown (measured on the CPF import: the
 * heap grew by the size of the offers written, hundreds of megabytes on a full catalogue).
 */
const encoder = new TextEncoder();

export class CopyTextBuffer {
  private bytes: Uint8Array;
  private length = 0;

  /** A new buffer, or one given back after `transfer` (its bytes are overwritten). */
  constructor(from: number | ArrayBuffer = 1 << 20) {
    this.bytes = new Uint8Array(typeof from === 'number' ? new ArrayBuffer(from) : from);
  }

  /** Bytes gathered so far. */
  get byteLength(): number {
    return this.length;
  }

  /** Appends one line (its fields already encoded by `copyField` and joined by TAB) and its newline. */
  appendLine(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    const needed = this.length + line.length * 3 + 1;
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.length += encoder.encodeInto(line, this.bytes.subarray(this.length)).written;
    this.bytes[this.length++] = 0x0a;
  }

  /** The bytes gathered: a view, valid until the next `appendLine` or `clear`. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  /**
   * The whole memory and how many bytes of it are gathered, for postMessage's transfer list (which empties
   * this buffer for good: take it back with `new CopyTextBuffer(buffer)`).
   */
  transfer(): { buffer: ArrayBuffer; byteLength: number } {
    return { buffer: this.bytes.buffer as ArrayBuffer, byteLength: this.length };
  }
}
