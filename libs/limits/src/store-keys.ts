import { BoundedCache } from '@tollgate/common';

/**
 * Interns the Redis keys a store makes from counter names: `prefix + counter` once per counter, then the same
 * string object, whose hash V8 has already computed; the limit batch dedupes keys through a Map, and hashing a
 * fresh 100-character key per use was the hottest line of its send.
 */
export class StoreKeys {
  private readonly keys: BoundedCache<string, string>;
  private readonly make: (counter: string) => string;

  constructor(prefix: string, capacity = 50_000) {
    this.keys = new BoundedCache(capacity);
    this.make = (counter) => prefix + counter;
  }

  of(counter: string): string {
    return this.keys.getOrSet(counter, this.make);
  }
}
