import type Redis from 'ioredis';
import { ADMIT_SCRIPT, SETTLE_SCRIPT } from './rate-limit-scripts';
import type { AdmitCommand, AdmitOutcome, CounterUsage, LimitKind, RateLimitStore, SettleCommand } from './rate-limit-store';

export interface RedisRateLimitStoreOptions {
  /** A connection the caller owns (and closes); commands are sent as EVALSHA, falling back to EVAL once. */
  client: Redis;
  /** Prefix of every key, e.g. "tollgate:"; the store adds "rl:". */
  prefix: string;
}

type ScriptReply = (string | number)[];

/** The two scripts, registered on the connection so ioredis sends EVALSHA and loads them on NOSCRIPT. */
interface ScriptedRedis extends Redis {
  tollgateRateLimitAdmit(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<ScriptReply>;
  tollgateRateLimitSettle(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
}

const NO_LIMIT = -1;

/**
 * Rate-limit counters in Redis, shared by every gateway replica: one script call per admission, one per settlement.
 * All keys of one admission are used by one script, so under Redis Cluster they would need a common hash
 * tag; Tollgate targets a single Redis (or a primary with replicas).
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly client: ScriptedRedis;
  private readonly prefix: string;

  constructor(options: RedisRateLimitStoreOptions) {
    const client = options.client as ScriptedRedis;
    if (typeof client.tollgateRateLimitAdmit !== 'function') client.defineCommand('tollgateRateLimitAdmit', { lua: ADMIT_SCRIPT });
    if (typeof client.tollgateRateLimitSettle !== 'function') client.defineCommand('tollgateRateLimitSettle', { lua: SETTLE_SCRIPT });
    this.client = client;
    this.prefix = `${options.prefix}rl:`;
  }

  async admit(command: AdmitCommand): Promise<AdmitOutcome> {
    const keys: string[] = [];
    const limits: number[] = [];
    for (const check of command.checks) {
      keys.push(this.windowKey(check.counter), this.slotsKey(check.counter));
      limits.push(check.rpm ?? NO_LIMIT, check.tpm ?? NO_LIMIT, check.parallel ?? NO_LIMIT);
    }
    const reply = await this.client.tollgateRateLimitAdmit(
      keys.length,
      ...keys,
      command.windowMs,
      command.tokens,
      command.slotId,
      command.slotLeaseMs,
      ...limits,
    );
    if (Number(reply[0]) === 0) {
      return { admitted: false, checkIndex: Number(reply[1]) - 1, limit: String(reply[2]) as LimitKind, retryAfterMs: Number(reply[3]) };
    }
    const usage: CounterUsage[] = command.checks.map((_, index) => {
      const [start, requests, tokens, resetInMs] = reply.slice(1 + index * 4, 5 + index * 4).map(Number);
      return { windowStart: start < 0 ? undefined : start, requests, tokens, resetInMs };
    });
    return { admitted: true, usage };
  }

  async settle(command: SettleCommand): Promise<void> {
    const { reservations, slotCounters } = command;
    const tokens = command.tokenDelta !== 0 || command.requestDelta !== 0;
    const windows = tokens ? reservations : [];
    if (windows.length === 0 && slotCounters.length === 0) return;
    await this.client.tollgateRateLimitSettle(
      windows.length + slotCounters.length,
      ...windows.map((reservation) => this.windowKey(reservation.counter)),
      ...slotCounters.map((counter) => this.slotsKey(counter)),
      command.windowMs,
      command.tokenDelta,
      command.requestDelta,
      windows.length,
      command.slotId,
      ...windows.map((reservation) => reservation.windowStart),
    );
  }

  private windowKey(counter: string): string {
    return `${this.prefix}w:${counter}`;
  }

  private slotsKey(counter: string): string {
    return `${this.prefix}p:${counter}`;
  }
}
