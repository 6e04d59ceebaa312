import { describe, expect, it } from 'vitest';
import { LOGO_MAX_BYTES, logoKindOf, logoProblem } from './reports-api.js';

const pngHead = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('logo checks before upload', () => {
  it('tells PNG and JPEG from their first bytes, not their name', () => {
    expect(logoKindOf(new Uint8Array(pngHead))).toBe('png');
    expect(logoKindOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(logoKindOf(new TextEncoder().encode('GIF89a'))).toBeNull();
  });

  it('names the problem: empty, too large, not an image', async () => {
    expect(await logoProblem(new Blob([]))).toBe('empty');
    expect(await logoProblem(new Blob([new Uint8Array(LOGO_MAX_BYTES + 1)]))).toBe('tooLarge');
    expect(await logoProblem(new Blob(['<svg/>']))).toBe('notImage');
    expect(await logoProblem(new Blob([new Uint8Array([...pngHead, 0, 0])]))).toBeNull();
  });
});
