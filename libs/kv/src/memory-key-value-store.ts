import { Logger } from '@nestjs/common';
import { checkFloatStep, checkIntegerStep, checkTtl } from './kv-arguments';
import { KeyValueStoreUnavailableError } from './kv.errors';
import { MemoryKeyValueSpace, MemoryKeyValueSpaceOptions } from './memory-key-value-space';
import type { KeyValueStore } from './kv.types';

export interface MemoryKeyValueStoreOptions extends MemoryKeyValueSpaceOptions {
  /** Applied to every key and channel, as with Redis. Default "" (a private space needs none). */
  prefix?: string;
  /** Share state with other stores in this process; by default the store owns a private space. */
  space?: MemoryKeyValueSpace;
}

const INTEGER = /^-?\d+$/;
/** Redis rejects leading/trailing spaces and hex or other forms JavaScript's Number() would accept. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Shared state for a single process: used when no Redis is configured. */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly logger = new Logger(MemoryKeyValueStore.name);
  private readonly prefix: string;
  private readonly space: MemoryKeyValueSpace;
  private readonly ownsSpace: boolean;
  private readonly subscriptions = new Set<() => void>();
  private closed = false;

  constructor(options: MemoryKeyValueStoreOptions = {}) {
    this.prefix = options.prefix ?? '';
    this.ownsSpace = options.space === undefined;
    this.space = options.space ?? new MemoryKeyValueSpace(options);
  }

  async get(key: string): Promise<string | undefined> {
    return this.open().read(this.prefix + key)?.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = checkTtl(ttlMs);
    this.open().write(this.prefix + key, value, ttl);
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const space = this.open();
    if (space.read(this.prefix + key) !== undefined) return false;
    space.write(this.prefix + key, value, ttl);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.open().remove(this.prefix + key);
  }

  async increment(key: string, by = 1, ttlMs?: number): Promise<number> {
    const step = checkIntegerStep(by);
    return this.add(key, ttlMs, (current) => {
      if (current !== undefined && !INTEGER.test(current)) throw new Error('value is not an integer or out of range');
      const next = (current === undefined ? 0 : Number(current)) + step;
      if (!Number.isSafeInteger(next)) throw new Error('increment or decrement would overflow');
      return next;
    });
  }

  async incrementFloat(key: string, by: number, ttlMs?: number): Promise<number> {
    const step = checkFloatStep(by);
    return this.add(key, ttlMs, (current) => {
      if (current !== undefined && !DECIMAL.test(current)) throw new Error('value is not a valid float');
      const sum = (current === undefined ? 0 : Number(current)) + step;
      if (!Number.isFinite(sum)) throw new Error('increment would produce NaN or Infinity');
      // Redis adds in long double and prints 17 digits, so 0.1 + 0.2 reads back as 0.3 there; rounding to
      // the 15 digits a double holds exactly gives the same clean results here instead of 0.30000000000000004.
      return Number(sum.toPrecision(15));
    });
  }

  async ttl(key: string): Promise<number | undefined> {
    const expiresAt = this.open().read(this.prefix + key)?.expiresAt;
    return expiresAt === undefined ? undefined : Math.max(0, expiresAt - Date.now());
  }

  async publish(channel: string, message: string): Promise<void> {
    this.open().broadcast(this.prefix + channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const stopListening = this.open().listen(this.prefix + channel, (message) => {
      try {
        handler(message);
      } catch (error) {
        this.logger.error(`Subscriber of channel "${channel}" failed: ${String(error)}`);
      }
    });
    const unsubscribe = (): void => {
      stopListening();
      this.subscriptions.delete(unsubscribe);
    };
    this.subscriptions.add(unsubscribe);
    return async () => unsubscribe();
  }

  async ping(): Promise<void> {
    this.open();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of [...this.subscriptions]) unsubscribe();
    if (this.ownsSpace) this.space.dispose();
  }

  /** Applies `next` to the current value; a counter created here gets the TTL, an existing one keeps its own. */
  private add(key: string, ttlMs: number | undefined, next: (current: string | undefined) => number): number {
    const ttl = checkTtl(ttlMs);
    const space = this.open();
    const entry = space.read(this.prefix + key);
    const value = next(entry?.value);
    if (entry === undefined) space.write(this.prefix + key, String(value), ttl);
    else entry.value = String(value);
    return value;
  }

  private open(): MemoryKeyValueSpace {
    if (this.closed) throw new KeyValueStoreUnavailableError('The in-memory key-value store is closed');
    return this.space;
  }
}
