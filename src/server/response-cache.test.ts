import { describe, expect, it } from 'vitest';
import { ResponseCache } from './response-cache.js';

describe('ResponseCache', () => {
  it('answers only for the data version an entry was read at, and for a minute at most', () => {
    const cache = new ResponseCache(10);
    cache.set('a', 1, '{"n":1}', 0);
    expect(cache.get('a', 1, 1000)).toBe('{"n":1}');
    expect(cache.get('a', 2, 1000)).toBeUndefined();
    expect(cache.get('a', 1, 1000)).toBeUndefined(); // a stale entry is dropped, not kept for later
    cache.set('b', 5, '{}', 0);
    expect(cache.get('b', 5, 60_000)).toBe('{}');
    expect(cache.get('b', 5, 60_001)).toBeUndefined();
  });

  it('drops the least recently used entries past its size and byte bounds', () => {
    const cache = new ResponseCache(2, 1600);
    cache.set('a', 1, 'x', 0);
    cache.set('b', 1, 'y', 0);
    cache.get('a', 1, 0); // a is now more recent than b
    cache.set('c', 1, 'z', 0);
    expect(cache.get('b', 1, 0)).toBeUndefined();
    expect(cache.get('a', 1, 0)).toBe('x');
    expect(cache.get('c', 1, 0)).toBe('z');
    // Over a sixteenth of the byte budget: not kept at all.
    cache.set('big', 1, 'w'.repeat(101), 0);
    expect(cache.get('big', 1, 0)).toBeUndefined();
    cache.set('d', 1, 'v'.repeat(100), 0);
    expect(cache.size).toBe(2);
  });

  it('keeps nothing when sized 0', () => {
    const cache = new ResponseCache(0);
    cache.set('a', 1, '{}', 0);
    expect(cache.enabled).toBe(false);
    expect(cache.get('a', 1, 0)).toBeUndefined();
  });
});
