import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { ZipStreamWriter } from './zip-stream.js';

const dir = mkdtempSync(path.join(tmpdir(), 'habilis-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function entriesOf(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const out = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, async (err, stream) => {
        if (err) return reject(err);
        const parts: Buffer[] = [];
        for await (const c of stream) parts.push(c as Buffer);
        out.set(entry.fileName, Buffer.concat(parts));
        zip.readEntry();
      }),
    );
    zip.readEntry();
  });
  return out;
}

async function write(name: string, fill: (zip: ZipStreamWriter) => Promise<void>) {
  const file = path.join(dir, name);
  const out = createWriteStream(file);
  const closed = new Promise((r) => out.once('close', r));
  const zip = new ZipStreamWriter(out);
  await fill(zip);
  await zip.finish();
  await closed;
  return file;
}

describe('ZipStreamWriter', () => {
  it('writes stored and deflated entries from streams, with UTF-8 names, that a reader gets back intact', async () => {
    const big = Buffer.alloc(300_000, 7);
    const file = await write('a.zip', async (zip) => {
      await zip.addEntry(
        'preuves/conventions/P0001-été.pdf',
        Readable.from([Buffer.from('%PDF-1.4 a'), Buffer.from('b')]),
      );
      await zip.addEntry('listes/constats.csv', ['a;b\r\n', 'c;d\r\n'], { deflate: true });
      await zip.addEntry('big.bin', Readable.from([big.subarray(0, 100_000), big.subarray(100_000)]), {
        deflate: true,
      });
    });
    const entries = await entriesOf(file);
    expect([...entries.keys()]).toEqual([
      'preuves/conventions/P0001-été.pdf',
      'listes/constats.csv',
      'big.bin',
    ]);
    expect(entries.get('preuves/conventions/P0001-été.pdf')!.toString()).toBe('%PDF-1.4 ab');
    expect(entries.get('listes/constats.csv')!.toString()).toBe('a;b\r\nc;d\r\n');
    expect(entries.get('big.bin')!.equals(big)).toBe(true);
  });

  it('switches to ZIP64 end records past 65,535 entries', async () => {
    const file = await write('many.zip', async (zip) => {
      for (let i = 0; i < 65_540; i++) await zip.addEntry(`f/${i}`, [Buffer.from(String(i))]);
    });
    // yauzl reads the entry count from the ZIP64 end record (the classic one says 0xffff).
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
    );
    expect(zip.entryCount).toBe(65_540);
    zip.close();
  }, 120_000);

  it('refuses unsafe or duplicate names', async () => {
    const zip = new ZipStreamWriter(createWriteStream(path.join(dir, 'bad.zip')));
    await expect(zip.addEntry('../x', [Buffer.from('x')])).rejects.toThrow('not a safe zip entry name');
    await expect(zip.addEntry('/abs', [Buffer.from('x')])).rejects.toThrow('not a safe zip entry name');
    await zip.addEntry('a', [Buffer.from('x')]);
    await expect(zip.addEntry('a', [Buffer.from('x')])).rejects.toThrow('duplicate zip entry');
    await zip.finish();
  });
});
