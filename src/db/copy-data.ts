/**
 * COPY data for `copy … from '/dev/blob'` (PGlite reads it from a Blob; database.ts runs it as COPY FROM
 * STDIN on a server), staged in one buffer used again for every statement.
 *
 * Why not `new Blob(parts)`: that copies the parts into native memory, and both engines then ask the Blob
 * for a fresh ArrayBuffer, a second copy. Those copies are external memory that V8 frees only when its
 * own heap grows, which an import's barely does: on a full registry import the garbage reached ~250 MB
 * before a collection, and the freed blocks fragmented the C heap (measured on PGlite, 25,000 fiches). The
 * staging buffer is resizable, so its byte length is always the data's (both readers take it whole), and
 * it never holds more than the largest statement.
 */

/** Largest statement staged (address space reserved, not memory); beyond, a plain Blob. */
const MAX_STAGED_BYTES = 256 * 1024 * 1024;

/** A resizable ArrayBuffer (ES2024; the project's TypeScript lib is ES2023). */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
const ResizableBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer;

/**
 * A Blob over a buffer it does not copy: `arrayBuffer()` answers the buffer itself and `size` its length,
 * which is all PGlite and database.ts read of a COPY Blob (its `stream()`, `text()` and `slice()` see an
 * empty Blob: it is not for other readers).
 */
class StagedBlob extends Blob {
  readonly #buffer: ArrayBuffer;

  constructor(buffer: ArrayBuffer) {
    super([]);
    this.#buffer = buffer;
  }

  override get size(): number {
    return this.#buffer.byteLength;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#buffer);
  }
}

/**
 * One staging buffer for the COPY statements of one connection. A statement's Blob is valid until the
 * next `blobOf`: statements on a connection run one after the other, so each is read before the next
 * is staged.
 */
export class CopyStaging {
  private buffer: ResizableArrayBuffer | null = null;

  /** The parts, one after the other, as a Blob either engine takes for `'/dev/blob'`. */
  blobOf(parts: readonly Uint8Array[]): Blob {
    let total = 0;
    for (const part of parts) total += part.byteLength;
    if (total > MAX_STAGED_BYTES) return new Blob(parts.map((p) => p as BlobPart));
    this.buffer ??= new ResizableBuffer(0, { maxByteLength: MAX_STAGED_BYTES });
    this.buffer.resize(total);
    const view = new Uint8Array(this.buffer);
    let at = 0;
    for (const part of parts) {
      view.set(part, at);
      at += part.byteLength;
    }
    return new StagedBlob(this.buffer);
  }
}
