import { Logger } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';
import type { KeyValueStore } from '@tollgate/kv';

/** The channel every replica listens on; any management change publishes here. */
export const TENANCY_CHANGED_CHANNEL = 'tenancy:changed';
/** Unknown keys are remembered briefly so a flood of bad keys cannot turn into a flood of queries. */
const UNKNOWN_KEY_TTL_MS = 5_000;
/** Cached identities are refreshed at least this often, as a safety net should an invalidation be missed. */
const IDENTITY_TTL_MS = 5 * 60_000;

interface Entry {
  identity: CallerIdentity | undefined;
  expiresAt: number;
}

/**
 * Key identities in memory, so a warm gateway authenticates without the database. Any change made through
 * the management API (on any replica) is published on Redis (or in-process without Redis) and clears the
 * cache on every replica; the next request for a key reloads it once.
 */
export class IdentityCache {
  private readonly logger = new Logger('IdentityCache');
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<CallerIdentity | undefined>>();
  private generation = 0;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly load: (keyHash: string) => Promise<CallerIdentity | undefined>,
    private readonly kv: KeyValueStore,
  ) {}

  /** Starts listening for changes made by any replica. */
  async start(): Promise<void> {
    this.unsubscribe = await this.kv.subscribe(TENANCY_CHANGED_CHANNEL, () => this.clear());
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** The identity for a key hash: from memory when warm (synchronously), else loaded once. */
  resolve(keyHash: string): CallerIdentity | undefined | Promise<CallerIdentity | undefined> {
    const entry = this.entries.get(keyHash);
    if (entry && entry.expiresAt > Date.now()) return entry.identity;
    let pending = this.loading.get(keyHash);
    if (!pending) {
      const generation = this.generation;
      pending = this.load(keyHash).then(
        (identity) => {
          this.loading.delete(keyHash);
          // A change published while loading may have made this answer stale: use it once, do not keep it.
          if (generation === this.generation) {
            this.entries.set(keyHash, { identity, expiresAt: Date.now() + (identity ? IDENTITY_TTL_MS : UNKNOWN_KEY_TTL_MS) });
          }
          return identity;
        },
        (err: unknown) => {
          this.loading.delete(keyHash);
          throw err;
        },
      );
      this.loading.set(keyHash, pending);
    }
    return pending;
  }

  /** Forgets every cached identity (changes are rare; a precise invalidation is not worth its complexity). */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Tells every replica (this one included) that keys, users, teams or organizations changed. */
  async publishChange(what: string): Promise<void> {
    this.clear();
    try {
      await this.kv.publish(TENANCY_CHANGED_CHANNEL, what);
    } catch (err) {
      this.logger.error(`could not tell other replicas about a change (${what}): ${(err as Error).message}`);
    }
  }
}
