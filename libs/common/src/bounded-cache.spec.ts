import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('drops an entry not used since it was added when full', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.entriesSnapshot()).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect(cache.size).toBe(2);
  });

  it('gives a used entry a second chance: it outlives newer entries nobody read', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    cache.get('a');
    cache.set('d', 4); // a was read: it stays, and b (the oldest not read) goes
    expect(cache.entriesSnapshot()).toEqual([
      ['c', 3],
      ['a', 1],
      ['d', 4],
    ]);
    cache.set('e', 5); // c was never read
    cache.set('f', 6); // a's chance was spent by the first eviction
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.entriesSnapshot().map(([key]) => key)).toEqual(['d', 'e', 'f']);
  });

  it('leaves the entries where they are on a hit (a hit only marks its entry)', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    expect(cache.getOrSet('a', () => 9)).toBe(1);
    expect(cache.entriesSnapshot()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('evicts when every entry was used, and reading the snapshot uses nothing', () => {
    const cache = new BoundedCache<number, number>(4);
    for (let i = 0; i < 4; i++) cache.set(i, i);
    for (let i = 0; i < 4; i++) cache.get(i);
    cache.entriesSnapshot();
    cache.set(4, 4);
    expect(cache.size).toBe(4);
    expect(cache.get(0)).toBeUndefined();
    expect([...cache.values()]).toEqual([1, 2, 3, 4]);
  });

  it('counts an overwrite as use and never exceeds its capacity', () => {
    const cache = new BoundedCache<number, number>(3);
    for (let i = 0; i < 100; i++) cache.set(i % 7, i);
    expect(cache.size).toBe(3);
    cache.set(4, -1);
    cache.set(100, 100);
    expect(cache.get(4)).toBe(-1);
  });

  it('forgets a deleted entry, which then no longer takes room', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    cache.set('c', 3);
    expect(cache.entriesSnapshot()).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('makes a missing value once and remembers it', () => {
    const cache = new BoundedCache<string, { n: number }>(10);
    let made = 0;
    const make = () => ({ n: ++made });
    const first = cache.getOrSet('k', make);
    expect(cache.getOrSet('k', make)).toBe(first);
    expect(made).toBe(1);
  });

  it('keeps null values (a remembered "nothing")', () => {
    const cache = new BoundedCache<string, string | null>(2);
    cache.set('none', null);
    expect(cache.get('none')).toBeNull();
    expect(cache.get('missing')).toBeUndefined();
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
    expect(() => new BoundedCache(1.5)).toThrow(/positive integer/);
  });
});
