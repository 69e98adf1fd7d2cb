/**
 * Shared state behind one interface: counters, TTL keys and pub/sub. The Redis implementation lets several
 * gateway replicas share one limit or one cooldown; the in-memory one serves a single process when no
 * Redis is configured. Keys are plain strings; each store applies its own prefix so that tests and
 * tenants can share one Redis.
 */
export interface KeyValueStore {
  /** Value of a key, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Sets a key; with `ttlMs` it expires after that many milliseconds. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets a key only when it does not exist; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Adds `by` (may be negative) to an integer counter and returns the new value. A counter that did not
   * exist starts at 0; when `ttlMs` is given and the counter was just created, it expires after `ttlMs`.
   */
  increment(key: string, by?: number, ttlMs?: number): Promise<number>;
  /** Same as `increment` for decimal amounts (for example money in USD). */
  incrementFloat(key: string, by: number, ttlMs?: number): Promise<number>;
  /** Remaining time to live in milliseconds; undefined when the key is absent or has no expiry. */
  ttl(key: string): Promise<number | undefined>;
  /** Sends a message to every subscriber of `channel`, in every process sharing the store. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message on `channel`; resolves once the subscription is active. Returns an unsubscribe function. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  /** Checks the store is reachable (readiness probe); throws when it is not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const KEY_VALUE_STORE = Symbol('KEY_VALUE_STORE');
