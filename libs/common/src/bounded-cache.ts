/**
 * A memo that holds at most `capacity` entries and drops the least recently used one to make room.
 *
 * For memos whose keys callers can influence (requested model names, upstream URLs, rotating credentials):
 * an unbounded map there grows with every key a client invents, and clearing it whole when full makes every
 * hot entry pay its miss again at once.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`BoundedCache capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value for `key`, which then counts as just used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined && this.entries.size > 1) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
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

  /** Entries from least to most recently used; reading them does not count as use. */
  entriesSnapshot(): Array<[K, V]> {
    return [...this.entries];
  }

  values(): IterableIterator<V> {
    return this.entries.values();
  }
}
