/** One remembered value and whether it was read or rewritten since eviction last looked at it. */
interface Slot<V> {
  value: V;
  used: boolean;
}

/**
 * A memo that holds at most `capacity` entries; to make room it drops one not used recently (second chance,
 * the CLOCK approximation of least-recently-used).
 *
 * For memos whose keys callers can influence (requested model names, upstream URLs, rotating credentials):
 * an unbounded map there grows with every key a client invents, and clearing it whole when full makes every
 * hot entry pay its miss again at once.
 *
 * A hit only sets a flag. Moving the entry to the map's end on every hit (delete, then set) made V8 rebuild
 * the map's table every few hits, and a long-lived map's tables are allocated in the old generation: with
 * several memos read per request, that was garbage for full collections at a steady rate, for ordering that
 * only matters when the memo is full.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, Slot<V>>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`BoundedCache capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value for `key`, which then counts as used; undefined when absent. */
  get(key: K): V | undefined {
    const slot = this.entries.get(key);
    if (slot === undefined) return undefined;
    slot.used = true;
    return slot.value;
  }

  /** Remembers `value`; overwriting an entry counts as using it. */
  set(key: K, value: V): void {
    const slot = this.entries.get(key);
    if (slot !== undefined) {
      slot.value = value;
      slot.used = true;
      return;
    }
    if (this.entries.size >= this.capacity) this.evictOne();
    this.entries.set(key, { value, used: false });
  }

  /** The value for `key`, made by `make` and remembered when absent. `make` must not return undefined. */
  getOrSet(key: K, make: (key: K) => V): V {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const value = make(key);
    this.set(key, value);
    return value;
  }

  /** Forgets `key`; true when it was there. */
  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Entries in the order eviction looks at them (it drops the first one not used since); reading them does not count as use. */
  entriesSnapshot(): Array<[K, V]> {
    return Array.from(this.entries, ([key, slot]) => [key, slot.value]);
  }

  *values(): IterableIterator<V> {
    for (const slot of this.entries.values()) yield slot.value;
  }

  /**
   * Drops the oldest entry not used since it was last passed over; a used one loses its flag and moves to the
   * end. Each pass clears a flag, so this ends within size + 1 steps, and costs one step per use on average.
   */
  private evictOne(): void {
    for (const [key, slot] of this.entries) {
      this.entries.delete(key);
      if (!slot.used) return;
      slot.used = false;
      this.entries.set(key, slot);
    }
  }
}
