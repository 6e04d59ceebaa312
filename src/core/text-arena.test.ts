import { describe, expect, it } from 'vitest';
import { TextArena } from './text-arena.js';

describe('TextArena', () => {
  it('gives back every text as it was, across blocks, with multi-byte characters', () => {
    const arena = new TextArena(64);
    const texts = Array.from(
      { length: 5_000 },
      (_, i) => `{"offerId":"o${i}","title":"Œuvre ${'é'.repeat(i % 40)} 🎓"}`,
    );
    const ids = texts.map((t) => arena.add(t));
    expect(ids).toEqual(texts.map((_, i) => i));
    for (const i of [0, 1, 63, 64, 1_023, 1_024, 4_999]) expect(arena.get(i)).toBe(texts[i]);
    expect(texts.every((t, i) => arena.get(i) === t)).toBe(true);
  });

  it('keeps a text longer than a block, and the empty text', () => {
    const arena = new TextArena(16);
    const long = 'x'.repeat(100);
    const a = arena.add('');
    const b = arena.add(long);
    const c = arena.add('après');
    expect([arena.get(a), arena.get(b), arena.get(c)]).toEqual(['', long, 'après']);
  });

  it('refuses a number it did not give', () => {
    const arena = new TextArena();
    arena.add('a');
    expect(() => arena.get(1)).toThrow(RangeError);
    expect(() => arena.get(-1)).toThrow(RangeError);
  });
});
