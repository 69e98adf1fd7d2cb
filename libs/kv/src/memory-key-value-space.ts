export interface MemoryEntry {
  value: string;
  /** Epoch milliseconds after which the entry no longer exists; undefined means it never expires. */
  expiresAt?: number;
}

export interface MemoryKeyValueSpaceOptions {
  /** How often expired entries that nobody reads again are dropped. Default 30 seconds. */
  sweepIntervalMs?: number;
}

/**
 * The in-process equivalent of one Redis server: keys with expiry and pub/sub channels. Several
 * `MemoryKeyValueStore`s may share one space (each with its own prefix) the way several gateway replicas
 * share one Redis, which is how tests exercise the multi-replica behaviour without Redis.
 */
export class MemoryKeyValueSpace {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly channels = new Map<string, Set<(message: string) => void>>();
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(options: MemoryKeyValueSpaceOptions = {}) {
    this.sweepTimer = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 30_000);
    // The sweep only bounds memory; it must never keep a finished process (or test run) alive.
    this.sweepTimer.unref();
  }

  /** Number of entries held, expired or not (expired ones disappear on read or on the next sweep). */
  get size(): number {
    return this.entries.size;
  }

  /** The live entry (mutating its value keeps its expiry), or undefined when absent or expired. */
  read(key: string): MemoryEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  write(key: string, value: string, ttlMs?: number): void {
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? undefined : Date.now() + ttlMs });
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.entries.delete(key);
    }
  }

  /** Registers a listener; returns the function that removes it. */
  listen(channel: string, listener: (message: string) => void): () => void {
    let listeners = this.channels.get(channel);
    if (listeners === undefined) {
      listeners = new Set();
      this.channels.set(channel, listeners);
    }
    listeners.add(listener);
    return () => {
      const current = this.channels.get(channel);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) this.channels.delete(channel);
    };
  }

  /**
   * Delivers on a later turn of the event loop, like a message travelling through Redis: the publisher
   * never runs subscriber code inside its own call. Only listeners present at publish time receive it,
   * and one removed before delivery is skipped.
   */
  broadcast(channel: string, message: string): void {
    const listeners = this.channels.get(channel);
    if (listeners === undefined) return;
    const recipients = [...listeners];
    setImmediate(() => {
      const current = this.channels.get(channel);
      for (const listener of recipients) {
        if (current?.has(listener)) listener(message);
      }
    });
  }

  /** Stops the sweep and drops everything. */
  dispose(): void {
    clearInterval(this.sweepTimer);
    this.entries.clear();
    this.channels.clear();
  }
}
