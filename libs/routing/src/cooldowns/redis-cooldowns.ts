import type { KeyValueStore } from '@tollgate/kv';
import type Redis from 'ioredis';
import type { MinuteCounts } from './cooldown-rules';
import { EXTENSION_SLACK_MS, MINUTE_MS, minuteOf, type CooldownStore, type StoredCooldown } from './cooldown-store';
import { CooldownTracker, type CooldownOptions } from './cooldown-tracker';
import type { FailureClass } from './cooldowns';

/** The channel (under the key-value store's prefix) on which replicas announce cooldowns to each other. */
export const COOLDOWN_CHANNEL = 'routing:cooldowns';

/**
 * Stores a cooldown in the set of running ones (member: deployment id, score: end in ms) unless a running one
 * already ends at or after `until - slack`; drops ended ones and lets the whole set expire with its last
 * member. KEYS: the set. ARGV: id, until, now, slack. Returns the end stored before (0 when none was running).
 */
const SAVE_SCRIPT = `
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local previous = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '0')
local untilMs = tonumber(ARGV[2])
if previous < untilMs - tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[1], string.format('%d', tonumber(last[2]) + 1000))
end
return string.format('%d', previous)
`;

interface ScriptedRedis extends Redis {
  tollgateSaveCooldown(key: string, id: string, until: number, now: number, slack: number): Promise<string>;
}

export interface RedisCooldownStoreOptions {
  /** A connection the caller owns (and closes), for counts and cooldowns. */
  client: Redis;
  /** Carries announcements between replicas (its own prefix applies to the channel). */
  kv: KeyValueStore;
  /** Prefix of every key, e.g. "tollgate:"; the store adds "cooldown:". */
  prefix: string;
}

/**
 * Failure counts and cooldowns in Redis, shared by every replica. Counts are per deployment, class and
 * minute (INCR then PEXPIRE, so a minute's counters vanish a minute after their last use); running cooldowns
 * form one sorted set that a starting replica reads; each new cooldown is announced on a channel so every
 * replica's table has it within milliseconds.
 */
export class RedisCooldownStore implements CooldownStore {
  readonly shared = true;
  private readonly client: ScriptedRedis;
  private readonly prefix: string;
  private readonly activeKey: string;

  constructor(private readonly options: RedisCooldownStoreOptions) {
    const client = options.client as ScriptedRedis;
    if (typeof client.tollgateSaveCooldown !== 'function') client.defineCommand('tollgateSaveCooldown', { numberOfKeys: 1, lua: SAVE_SCRIPT });
    this.client = client;
    this.prefix = `${options.prefix}cooldown:`;
    this.activeKey = `${this.prefix}active`;
  }

  async countFailure(deploymentId: string, failure: FailureClass, successes: number, now: number): Promise<MinuteCounts> {
    const minute = minuteOf(now);
    const classKey = `${this.prefix}f:${minute}:${deploymentId}:${failure}`;
    const failuresKey = `${this.prefix}f:${minute}:${deploymentId}`;
    const successesKey = `${this.prefix}s:${minute}:${deploymentId}`;
    const replies = await this.client
      .multi()
      .incr(classKey)
      .pexpire(classKey, MINUTE_MS)
      .incr(failuresKey)
      .pexpire(failuresKey, MINUTE_MS)
      .incrby(successesKey, successes)
      .pexpire(successesKey, MINUTE_MS)
      .exec();
    if (replies === null) throw new Error('Redis aborted the transaction');
    const values = replies.map(([error, reply]) => {
      if (error) throw error;
      return Number(reply);
    });
    return { classFailures: values[0], failures: values[2], successes: values[4] };
  }

  async addSuccesses(successes: ReadonlyMap<string, number>, now: number): Promise<void> {
    const minute = minuteOf(now);
    const pipeline = this.client.pipeline();
    for (const [deploymentId, count] of successes) {
      const key = `${this.prefix}s:${minute}:${deploymentId}`;
      pipeline.incrby(key, count).pexpire(key, MINUTE_MS);
    }
    const replies = await pipeline.exec();
    const failed = replies?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async save(cooldown: StoredCooldown, now: number): Promise<number> {
    return Number(await this.client.tollgateSaveCooldown(this.activeKey, cooldown.deploymentId, cooldown.until, now, EXTENSION_SLACK_MS));
  }

  async load(now: number): Promise<StoredCooldown[]> {
    const flat = await this.client.zrangebyscore(this.activeKey, `(${now}`, '+inf', 'WITHSCORES');
    const running: StoredCooldown[] = [];
    for (let i = 0; i < flat.length; i += 2) running.push({ deploymentId: flat[i], until: Number(flat[i + 1]) });
    return running;
  }

  async announce(cooldown: StoredCooldown): Promise<void> {
    await this.options.kv.publish(COOLDOWN_CHANNEL, JSON.stringify(cooldown));
  }

  listen(handler: (cooldown: StoredCooldown) => void): Promise<() => Promise<void>> {
    return this.options.kv.subscribe(COOLDOWN_CHANNEL, (message) => {
      const cooldown = parseAnnouncement(message);
      if (cooldown) handler(cooldown);
    });
  }
}

function parseAnnouncement(message: string): StoredCooldown | undefined {
  try {
    const parsed = JSON.parse(message) as Partial<StoredCooldown>;
    if (typeof parsed.deploymentId === 'string' && typeof parsed.until === 'number' && Number.isFinite(parsed.until)) {
      return { deploymentId: parsed.deploymentId, until: parsed.until };
    }
  } catch {
    // Not ours (or garbled): ignore it rather than let one bad message disturb routing.
  }
  return undefined;
}

export type RedisCooldownsOptions = CooldownOptions & RedisCooldownStoreOptions;

/** Cooldowns shared through Redis: a cooldown set on one replica is respected by all of them. */
export class RedisCooldowns extends CooldownTracker {
  constructor(options: RedisCooldownsOptions) {
    super(new RedisCooldownStore(options), options);
  }
}
