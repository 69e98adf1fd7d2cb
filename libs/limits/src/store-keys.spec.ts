import { describe, expect, it } from 'vitest';
import { StoreKeys } from './store-keys';

describe('StoreKeys', () => {
  it('prefixes a counter once and then gives the same string', () => {
    const keys = new StoreKeys('tollgate:rl:w:');
    const key = keys.of(`key:${'a'.repeat(64)}`);
    expect(key).toBe(`tollgate:rl:w:key:${'a'.repeat(64)}`);
    expect(keys.of(`key:${'a'.repeat(64)}`)).toBe(key);
  });

  it('stays bounded, keeping the counters in use', () => {
    const keys = new StoreKeys('p:', 3);
    for (let i = 0; i < 10; i++) {
      expect(keys.of(`c${i}`)).toBe(`p:c${i}`);
      keys.of('hot');
    }
    const held = (keys as unknown as { keys: { entriesSnapshot(): Array<[string, string]> } }).keys.entriesSnapshot();
    expect(held.length).toBe(3);
    expect(held.map(([counter]) => counter)).toContain('hot');
  });
});
