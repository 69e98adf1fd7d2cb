import type { MinuteCounts } from './cooldown-rules';
import { EXTENSION_SLACK_MS, minuteOf, type CooldownStore, type StoredCooldown } from './cooldown-store';
import type { FailureClass } from './cooldowns';

interface Bucket {
  minute: number;
  count: number;
}

/** Failure counts and cooldowns of one process. Buckets are reused per deployment and class, so memory stays bounded. */
export class MemoryCooldownStore implements CooldownStore {
  readonly shared = false;
  private readonly buckets = new Map<string, Bucket>();
  private readonly untils = new Map<string, number>();

  async countFailure(deploymentId: string, failure: FailureClass, successes: number, now: number): Promise<MinuteCounts> {
    const minute = minuteOf(now);
    return {
      classFailures: this.add(`f\u0000${deploymentId}\u0000${failure}`, minute, 1),
      failures: this.add(`f\u0000${deploymentId}`, minute, 1),
      successes: this.add(`s\u0000${deploymentId}`, minute, successes),
    };
  }

  async addSuccesses(successes: ReadonlyMap<string, number>, now: number): Promise<void> {
    const minute = minuteOf(now);
    for (const [deploymentId, count] of successes) this.add(`s\u0000${deploymentId}`, minute, count);
  }

  async save(cooldown: StoredCooldown, now: number): Promise<number> {
    const stored = this.untils.get(cooldown.deploymentId);
    const previous = stored !== undefined && stored > now ? stored : 0;
    if (previous >= cooldown.until - EXTENSION_SLACK_MS) return previous;
    this.untils.set(cooldown.deploymentId, cooldown.until);
    return previous;
  }

  async load(now: number): Promise<StoredCooldown[]> {
    const running: StoredCooldown[] = [];
    for (const [deploymentId, until] of this.untils) {
      if (until > now) running.push({ deploymentId, until });
      else this.untils.delete(deploymentId);
    }
    return running;
  }

  async announce(): Promise<void> {
    // One process: the tracker has already noted the cooldown.
  }

  async listen(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  private add(key: string, minute: number, by: number): number {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, { minute, count: by });
      return by;
    }
    if (bucket.minute !== minute) {
      bucket.minute = minute;
      bucket.count = 0;
    }
    bucket.count += by;
    return bucket.count;
  }
}
