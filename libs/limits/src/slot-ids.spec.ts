import { describe, expect, it } from 'vitest';
import { slotIdSource } from './slot-ids';

describe('slotIdSource', () => {
  it('never repeats an id within a source', () => {
    const nextId = slotIdSource();
    const ids = new Set(Array.from({ length: 10_000 }, nextId));
    expect(ids.size).toBe(10_000);
  });

  it('gives two sources (two replicas) ids that do not collide', () => {
    const a = slotIdSource();
    const b = slotIdSource();
    const fromA = Array.from({ length: 100 }, a);
    const fromB = new Set(Array.from({ length: 100 }, b));
    expect(fromA.some((id) => fromB.has(id))).toBe(false);
  });

  it('keeps ids short and free of the newline the script batch refuses', () => {
    const id = slotIdSource()();
    expect(id.length).toBeLessThan(20);
    expect(id).not.toContain('\n');
  });
});
