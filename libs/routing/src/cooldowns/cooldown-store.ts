import type { MinuteCounts } from './cooldown-rules';
import type { FailureClass } from './cooldowns';

/** A cooldown as stored and announced between replicas. */
export interface StoredCooldown {
  deploymentId: string;
  until: number;
}

/** Counts are kept per minute: a bucket holds the current minute only. */
export const MINUTE_MS = 60_000;
/**
 * A cooldown already running that ends at most this much earlier than a new one is left as it is: a burst of
 * failures from requests already in flight would otherwise rewrite (and re-announce) it once per failure.
 */
export const EXTENSION_SLACK_MS = 1_000;

export function minuteOf(now: number): number {
  return Math.floor(now / MINUTE_MS);
}

/**
 * Where failure counts and cooldowns live: Redis for several replicas, memory for one process. The
 * `CooldownTracker` decides; a store only counts, stores and announces.
 */
export interface CooldownStore {
  /**
   * Counts one failure of `failure` for the deployment in the current minute, adds `successes` counted
   * locally since the last flush, and returns the minute's counts.
   */
  countFailure(deploymentId: string, failure: FailureClass, successes: number, now: number): Promise<MinuteCounts>;
  /** Adds successes counted locally since the last flush (deployment id -> count). */
  addSuccesses(successes: ReadonlyMap<string, number>, now: number): Promise<void>;
  /**
   * Stores a cooldown, unless a running one ends at or after `until - EXTENSION_SLACK_MS`; resolves to the end
   * of the cooldown stored before (0 when none was running).
   */
  save(cooldown: StoredCooldown, now: number): Promise<number>;
  /** Every cooldown still running. */
  load(now: number): Promise<StoredCooldown[]>;
  /** Tells every replica sharing the store about a new or longer cooldown. */
  announce(cooldown: StoredCooldown): Promise<void>;
  /** Calls `handler` for every cooldown announced by any replica; resolves to an unsubscribe function. */
  listen(handler: (cooldown: StoredCooldown) => void): Promise<() => Promise<void>>;
  /** True when the state is shared with other processes (worth re-reading now and then). */
  readonly shared: boolean;
}
