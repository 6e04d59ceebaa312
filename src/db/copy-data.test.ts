import { describe, expect, it } from 'vitest';
import { CopyStaging } from './copy-data.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = async (blob: Blob) => new TextDecoder().decode(new Uint8Array(await blob.arrayBuffer()));

describe('COPY staging', () => {
  it('hands the parts as one Blob whose buffer is exactly their bytes, statement after statement', async () => {
    const staging = new CopyStaging();
    const first = staging.blobOf([bytes('a\t1\n'), bytes('b\t2\n'), bytes('')]);
    expect(first).toBeInstanceOf(Blob);
    expect(first.size).toBe(8);
    expect(await text(first)).toBe('a\t1\nb\t2\n');
    // A longer statement, then a shorter one: each reads as its own bytes, nothing of the one before.
    const long = 'é'.repeat(100_000);
    const second = staging.blobOf([bytes(long), bytes('\n')]);
    expect(second.size).toBe(200_001);
    expect(await text(second)).toBe(`${long}\n`);
    const third = staging.blobOf([bytes('c\t3\n')]);
    expect((await third.arrayBuffer()).byteLength).toBe(4);
    expect(await text(third)).toBe('c\t3\n');
    // The same buffer each time: no copy per statement.
    expect(await third.arrayBuffer()).toBe(await second.arrayBuffer());
  });

  it('hands an empty Blob for no bytes', async () => {
    const blob = new CopyStaging().blobOf([]);
    expect(blob.size).toBe(0);
    expect((await blob.arrayBuffer()).byteLength).toBe(0);
  });
});
