import type Redis from 'ioredis';
import { ADJUST_TOKENS_SCRIPT, ADMIT_SCRIPT } from './rate-limit-scripts';
import type { AdmitCommand, AdmitOutcome, CounterUsage, LimitKind, RateLimitStore, TokenReservation } from './rate-limit-store';

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
  tollgateRateLimitAdjust(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
}

const NO_LIMIT = -1;

/**
 * Rate-limit counters in Redis, shared by every gateway replica: one script call per admission.
 * All keys of one admission are used by one script, so under Redis Cluster they would need a common hash
 * tag; Tollgate targets a single Redis (or a primary with replicas).
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly client: ScriptedRedis;
  private readonly prefix: string;

  constructor(options: RedisRateLimitStoreOptions) {
    const client = options.client as ScriptedRedis;
    if (typeof client.tollgateRateLimitAdmit !== 'function') {
      client.defineCommand('tollgateRateLimitAdmit', { lua: ADMIT_SCRIPT });
      client.defineCommand('tollgateRateLimitAdjust', { lua: ADJUST_TOKENS_SCRIPT });
    }
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

  async adjustTokens(reservations: readonly TokenReservation[], delta: number, windowMs: number): Promise<void> {
    if (reservations.length === 0) return;
    await this.client.tollgateRateLimitAdjust(
      reservations.length,
      ...reservations.map((reservation) => this.windowKey(reservation.counter)),
      windowMs,
      delta,
      ...reservations.map((reservation) => reservation.windowStart),
    );
  }

  async releaseSlot(counters: readonly string[], slotId: string): Promise<void> {
    if (counters.length === 0) return;
    const pipeline = this.client.pipeline();
    for (const counter of counters) pipeline.zrem(this.slotsKey(counter), slotId);
    const results = await pipeline.exec();
    const failure = results?.find(([error]) => error)?.[0];
    if (failure) throw failure;
  }

  private windowKey(counter: string): string {
    return `${this.prefix}w:${counter}`;
  }

  private slotsKey(counter: string): string {
    return `${this.prefix}p:${counter}`;
  }
}
