import type { Readable, Writable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * A streaming ZIP writer: entries are written one after the other straight to `out`, each read from a
 * stream, so memory stays flat whatever the number and size of the files (only the central directory, a
 * few dozen bytes per entry, is kept until the end). Entries carry a data descriptor (general-purpose bit
 * 3): size and CRC-32 are computed on the way and written after the data. Names are UTF-8 (bit 11).
 * ZIP64 end records are added when the archive needs them (more than 65,535 entries, or more than 4 GiB);
 * one entry must stay under 4 GiB (evidence files are far smaller).
 *
 * @example
 *   const zip = new ZipStreamWriter(createWriteStream('out.zip'));
 *   await zip.addEntry('manifest.json', Readable.from([json]), { deflate: true });
 *   await zip.finish();
 */
export interface ZipEntryOptions {
  /** Deflate the entry (text compresses well); otherwise it is stored as is (PDFs, images, zips). */
  deflate?: boolean;
  /** The modification time written in the entry; 1980-01-01 by default so the same input gives the same bytes. */
  modifiedAt?: Date;
}

export interface ZipEntrySummary {
  name: string;
  /** Bytes read from the source (uncompressed). */
  size: number;
  crc32: number;
}

interface CentralRecord {
  name: Buffer;
  method: number;
  dosTime: number;
  dosDate: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

const U32 = 0xffffffff;

function dosDateTime(date: Date | undefined): { dosTime: number; dosDate: number } {
  if (!date || date.getUTCFullYear() < 1980) return { dosTime: 0, dosDate: 0x21 };
  return {
    dosTime: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    dosDate: ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

export class ZipStreamWriter {
  private offset = 0;
  private readonly central: CentralRecord[] = [];
  private readonly names = new Set<string>();
  private finished = false;

  constructor(private readonly out: Writable) {}

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.offset;
  }

  get entryCount(): number {
    return this.central.length;
  }

  private async write(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    if (!this.out.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.out.off('error', onError);
          resolve();
        };
        const onError = (error: Error) => {
          this.out.off('drain', onDrain);
          reject(error);
        };
        this.out.once('drain', onDrain);
        this.out.once('error', onError);
      });
    }
  }

  /**
   * Appends one entry, reading `source` to its end. Names use `/` between folders and must be unique and
   * relative (no leading `/`, no `..`).
   */
  async addEntry(
    name: string,
    source: Readable | Iterable<Buffer | string> | AsyncIterable<Buffer | string>,
    options: ZipEntryOptions = {},
  ): Promise<ZipEntrySummary> {
    if (this.finished) throw new Error('the zip is finished');
    if (!name || name.startsWith('/') || name.split('/').includes('..') || name.includes('\\'))
      throw new Error(`not a safe zip entry name: ${name}`);
    if (this.names.has(name)) throw new Error(`duplicate zip entry: ${name}`);
    this.names.add(name);
    const nameBytes = Buffer.from(name, 'utf8');
    const method = options.deflate ? 8 : 0;
    const { dosTime, dosDate } = dosDateTime(options.modifiedAt);
    const offset = this.offset;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0808, 6); // bit 3: data descriptor; bit 11: UTF-8 name
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    // CRC and sizes are zero here: they follow the data, in the descriptor.
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    await this.write(Buffer.concat([local, nameBytes]));

    let crc = 0;
    let size = 0;
    let compressedSize = 0;
    if (method === 0) {
      for await (const raw of source) {
        const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : (raw as Buffer);
        crc = crc32(chunk, crc);
        size += chunk.length;
        compressedSize += chunk.length;
        await this.write(chunk);
      }
    } else {
      const deflate = createDeflateRaw();
      const drained = (async () => {
        for await (const chunk of deflate) {
          compressedSize += (chunk as Buffer).length;
          await this.write(chunk as Buffer);
        }
      })();
      try {
        for await (const raw of source) {
          const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : (raw as Buffer);
          crc = crc32(chunk, crc);
          size += chunk.length;
          if (!deflate.write(chunk)) await new Promise<void>((resolve) => deflate.once('drain', resolve));
        }
        deflate.end();
      } catch (error) {
        deflate.destroy();
        throw error;
      }
      await drained;
    }
    if (size >= U32 || compressedSize >= U32) throw new Error(`zip entry ${name} is 4 GiB or more`);

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressedSize, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.write(descriptor);

    this.central.push({
      name: nameBytes,
      method,
      dosTime,
      dosDate,
      crc: crc >>> 0,
      compressedSize,
      size,
      offset,
    });
    return { name, size, crc32: crc >>> 0 };
  }

  /** Writes the central directory and the end records, then ends `out` and waits until it is flushed. */
  async finish(): Promise<{ entries: number; bytes: number }> {
    if (this.finished) throw new Error('the zip is finished');
    this.finished = true;
    const centralStart = this.offset;
    for (const e of this.central) {
      const needs64 = e.offset >= U32;
      const extra = needs64 ? Buffer.alloc(12) : Buffer.alloc(0);
      if (needs64) {
        extra.writeUInt16LE(0x0001, 0);
        extra.writeUInt16LE(8, 2);
        extra.writeBigUInt64LE(BigInt(e.offset), 4);
      }
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(needs64 ? 45 : 20, 4); // made by (MS-DOS attributes), version 2.0 / 4.5
      header.writeUInt16LE(needs64 ? 45 : 20, 6);
      header.writeUInt16LE(0x0808, 8);
      header.writeUInt16LE(e.method, 10);
      header.writeUInt16LE(e.dosTime, 12);
      header.writeUInt16LE(e.dosDate, 14);
      header.writeUInt32LE(e.crc, 16);
      header.writeUInt32LE(e.compressedSize, 20);
      header.writeUInt32LE(e.size, 24);
      header.writeUInt16LE(e.name.length, 28);
      header.writeUInt16LE(extra.length, 30);
      header.writeUInt32LE(needs64 ? U32 : e.offset, 42);
      await this.write(Buffer.concat([header, e.name, extra]));
    }
    const centralSize = this.offset - centralStart;
    const count = this.central.length;
    const needs64 = count > 0xfffe || centralStart >= U32 || centralSize >= U32;
    if (needs64) {
      const end64Offset = this.offset;
      const end64 = Buffer.alloc(56);
      end64.writeUInt32LE(0x06064b50, 0);
      end64.writeBigUInt64LE(44n, 4);
      end64.writeUInt16LE(45, 12);
      end64.writeUInt16LE(45, 14);
      end64.writeBigUInt64LE(BigInt(count), 24);
      end64.writeBigUInt64LE(BigInt(count), 32);
      end64.writeBigUInt64LE(BigInt(centralSize), 40);
      end64.writeBigUInt64LE(BigInt(centralStart), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(end64Offset), 8);
      locator.writeUInt32LE(1, 16);
      await this.write(Buffer.concat([end64, locator]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(needs64 ? 0xffff : count, 8);
    end.writeUInt16LE(needs64 ? 0xffff : count, 10);
    end.writeUInt32LE(needs64 ? U32 : centralSize, 12);
    end.writeUInt32LE(needs64 ? U32 : centralStart, 16);
    await this.write(end);
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
    return { entries: count, bytes: this.offset };
  }
}
