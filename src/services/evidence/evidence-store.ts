import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../core/errors.js';
import { SNIFF_BYTES } from '../../core/evidence/media-types.js';

const SHA256 = /^[0-9a-f]{64}$/;

export interface StoredContent {
  sha256: string;
  sizeBytes: number;
  /** What `mediaTypeOf` decided from the first bytes. */
  mediaType: string;
  /** false when the same content was already stored (it is kept once). */
  created: boolean;
}

export interface WriteOptions {
  /** Larger content is refused with `payload_too_large` and nothing is kept. */
  maxBytes: number;
  /**
   * Called once with the first `SNIFF_BYTES` bytes (or the whole content when shorter); returns the media
   * type or throws to refuse the content, in which case nothing is kept.
   */
  mediaTypeOf(head: Uint8Array): string;
}

const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MiB`, {
    details: { maxBytes },
    fields: [{ field: 'file', message: `larger than ${maxBytes} bytes` }],
  });

/**
 * Content-addressed file storage for evidence: each content lives once, at `<root>/<first 2 hex>/<sha256>`,
 * so its name is its integrity check. Writes stream through a SHA-256 into a temporary file in the same
 * tree, then rename it into place (atomic: a reader never sees half a file). Reads re-hash the file before
 * handing it out.
 */
export class EvidenceStore {
  constructor(private readonly root: string) {}

  /** Where a content is kept. */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new AppError('internal', `Not a SHA-256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `content` into the store, checking its size and (from its first bytes) its media type on the
   * way. On any refusal or error the temporary file is removed and nothing is kept.
   */
  async write(content: Readable, options: WriteOptions): Promise<StoredContent> {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const head: Buffer[] = [];
    let headBytes = 0;
    let mediaType: string | undefined;
    const decide = () => {
      mediaType = options.mediaTypeOf(new Uint8Array(Buffer.concat(head, headBytes)));
      head.length = 0;
    };
    const inspect = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > options.maxBytes) return callback(tooLarge(options.maxBytes));
        hash.update(chunk);
        if (mediaType === undefined) {
          const needed = SNIFF_BYTES - headBytes;
          head.push(chunk.subarray(0, needed));
          headBytes += Math.min(needed, chunk.length);
          if (headBytes >= SNIFF_BYTES) {
            try {
              decide();
            } catch (error) {
              return callback(error as Error);
            }
          }
        }
        callback(null, chunk);
      },
      flush(callback) {
        try {
          if (mediaType === undefined) decide();
          callback();
        } catch (error) {
          callback(error as Error);
        }
      },
    });
    try {
      await pipeline(content, inspect, createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
      // On disk before it gets its permanent name: a crash must not leave a named, truncated file.
      const handle = await open(tmp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    await mkdir(path.dirname(target), { recursive: true });
    if (await this.has(sha256)) {
      await rm(tmp, { force: true });
      return { sha256, sizeBytes: size, mediaType: mediaType!, created: false };
    }
    await rename(tmp, target);
    return { sha256, sizeBytes: size, mediaType: mediaType!, created: true };
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /**
   * Re-hashes the stored content and, when it still matches its name, opens it for reading. A missing or
   * altered file is an `internal` error naming the content: evidence that no longer proves anything must
   * not be served as if it did.
   */
  async openVerified(sha256: string): Promise<{ stream: Readable; sizeBytes: number }> {
    const file = this.pathOf(sha256);
    let sizeBytes: number;
    try {
      sizeBytes = (await stat(file)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new AppError('internal', `The stored file ${sha256} is missing`, { details: { sha256 } });
      throw error;
    }
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== sha256)
      throw new AppError('internal', `The stored file ${sha256} does not match its SHA-256: it was altered`, {
        details: { sha256 },
      });
    return { stream: createReadStream(file), sizeBytes };
  }
}
