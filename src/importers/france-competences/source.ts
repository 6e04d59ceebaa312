import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { AppError } from '../../core/errors.js';

/**
 * Where the bytes of an export come from: a plain file, or one entry of a zip streamed by yauzl (never
 * extracted to disk, never held whole in memory).
 */

/** What a file looks like from its first bytes. */
export type FileKind = 'zip' | 'xml' | 'csv' | 'other';

/** The import stops: the file cannot be read as a France Compétences export. Names the file and where. */
export function importRejected(
  file: string,
  message: string,
  position: { line?: number; column?: number; entry?: string } = {},
  cause?: unknown,
): AppError {
  const where =
    position.line === undefined
      ? ''
      : ` (line ${position.line}${position.column === undefined ? '' : `, column ${position.column}`})`;
  const entry = position.entry ? ` [${position.entry}]` : '';
  return new AppError('import_rejected', `${file}${entry}${where}: ${message}`, {
    details: {
      file,
      ...(position.entry ? { entry: position.entry } : {}),
      ...(position.line === undefined ? {} : { line: position.line }),
      ...(position.column === undefined ? {} : { column: position.column }),
    },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Reads the first bytes of a file (fewer if it is shorter). */
export async function readHead(filePath: string, length = 4096): Promise<Buffer> {
  const handle = await openFile(filePath, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Sniffs a file's kind from its first bytes: zip signature, XML start, `;`-separated text, or other. */
export function sniffKind(head: Uint8Array): FileKind {
  if (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 0x03 || head[2] === 0x05) &&
    head[3] === head[2] + 1
  )
    return 'zip';
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  // UTF-16 with a byte-order mark: look at the first character only.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    const c = head[0] === 0xff ? head[2] : head[3];
    return c === 0x3c ? 'xml' : 'other';
  }
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d))
    i++;
  if (head[i] === 0x3c) return 'xml';
  const firstLine =
    Buffer.from(head.subarray(i, i + 1024))
      .toString('latin1')
      .split(/\r?\n/)[0] ?? '';
  if (/^"?[A-Za-z_]+"?(;"?[A-Za-z_]+"?)+$/.test(firstLine)) return 'csv';
  return 'other';
}

/** A file's bytes as a stream of chunks; counts what was read and hashes it as it goes. */
export class CountingFileStream {
  bytesRead = 0;
  private readonly hash = createHash('sha256');

  constructor(
    readonly filePath: string,
    private readonly highWaterMark = 256 * 1024,
  ) {}

  async *chunks(): AsyncGenerator<Buffer> {
    const stream = createReadStream(this.filePath, { highWaterMark: this.highWaterMark });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        this.bytesRead += chunk.length;
        this.hash.update(chunk);
        yield chunk;
      }
    } finally {
      stream.destroy();
    }
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

/** SHA-256 of a whole file, streamed (used for zips, whose inner entries are what gets parsed). */
export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, {
    highWaterMark: 1024 * 1024,
  }) as AsyncIterable<Buffer>)
    hash.update(chunk);
  return hash.digest('hex');
}

export interface ZipEntryInfo {
  /** The name as the producer meant it: UTF-8 when it decodes as UTF-8 (flagged or not), else CP437; NFC. */
  name: string;
  uncompressedSize: number;
  entry: yauzl.Entry;
}

/**
 * A zip entry's name. France Compétences writes UTF-8 names without the zip "UTF-8" flag, so tools that
 * follow the specification show `Comp├⌐tences`: the raw bytes are decoded as UTF-8 whenever they are valid
 * UTF-8, CP437 (the specification's default) otherwise, then normalised to NFC for matching.
 */
export function decodeZipEntryName(raw: Uint8Array, flagged: boolean): string {
  const buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let name: string;
  if (flagged) name = buffer.toString('utf8');
  else {
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    } catch {
      name = iconv.decode(buffer, 'cp437');
    }
  }
  return name.normalize('NFC');
}

/** An open zip: its entries (names decoded as above) and a way to stream any of them, in any order. */
export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: ZipEntryInfo[],
  ) {}

  static async open(filePath: string, displayName: string): Promise<ZipArchive> {
    let zip: yauzl.ZipFile;
    try {
      zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
        yauzl.open(filePath, { lazyEntries: true, autoClose: false, decodeStrings: true }, (err, z) =>
          err ? reject(err) : resolve(z),
        ),
      );
    } catch (error) {
      throw importRejected(displayName, `not a readable zip: ${(error as Error).message}`, {}, error);
    }
    const entries: ZipEntryInfo[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: yauzl.Entry) => {
          if (!entry.fileName.endsWith('/')) {
            entries.push({
              name: decodeZipEntryName(entry.fileNameRaw, (entry.generalPurposeBitFlag & 0x800) !== 0),
              uncompressedSize: entry.uncompressedSize,
              entry,
            });
          }
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', reject);
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw importRejected(displayName, `not a readable zip: ${(error as Error).message}`, {}, error);
    }
    return new ZipArchive(zip, entries);
  }

  /** The entry's uncompressed bytes, chunk by chunk; `onBytes` is told how many as they come. */
  async *chunks(info: ZipEntryInfo, onBytes: (n: number) => void = () => {}): AsyncGenerator<Buffer> {
    const stream = await new Promise<Readable>((resolve, reject) =>
      this.zip.openReadStream(info.entry, (err, s) => (err ? reject(err) : resolve(s))),
    );
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        onBytes(chunk.length);
        yield chunk;
      }
    } finally {
      stream.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }
}

/** The base name shown in messages and kept with the import run. */
export const displayNameOf = (filePath: string): string => path.basename(filePath);

export async function fileSize(filePath: string): Promise<number> {
  return (await stat(filePath)).size;
}
