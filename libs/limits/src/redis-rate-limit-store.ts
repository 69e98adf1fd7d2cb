import type { RedisScriptBatch } from '@tollgate/kv';
import type Redis from 'ioredis';
import { StoreKeys } from './store-keys';
import { limitScriptBatch } from './limit-script-batch';
import type { AdmitCommand, AdmitOutcome, CounterUsage, LimitKind, RateLimitStore, SettleCommand } from './rate-limit-store';

export interface RedisRateLimitStoreOptions {
  /** A connection the caller owns (and closes); the scripts are sent through its limitScriptBatch. */
  client: Redis;
  /** Prefix of every key, e.g. "tollgate:"; the store adds "rl:". */
  prefix: string;
}

type ScriptReply = (string | number)[];

const NO_LIMIT = -1;

/**
 * Rate-limit counters in Redis, shared by every gateway replica: one script call per admission, one per
 * settlement (ADMIT_SCRIPT, SETTLE_SCRIPT), sent with the other limit scripts of the same turn.
 * All keys of one admission are used by one script, so under Redis Cluster they would need a common hash
 * tag; Tollgate targets a single Redis (or a primary with replicas).
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly scripts: RedisScriptBatch;
  private readonly windowKeys: StoreKeys;
  private readonly slotsKeys: StoreKeys;

  constructor(options: RedisRateLimitStoreOptions) {
    this.scripts = limitScriptBatch(options.client);
    this.windowKeys = new StoreKeys(`${options.prefix}rl:w:`);
    this.slotsKeys = new StoreKeys(`${options.prefix}rl:p:`);
  }

  async admit(command: AdmitCommand): Promise<AdmitOutcome> {
    const keys: string[] = [];
    const limits: number[] = [];
    for (const check of command.checks) {
      keys.push(this.windowKey(check.counter), this.slotsKey(check.counter));
      limits.push(check.rpm ?? NO_LIMIT, check.tpm ?? NO_LIMIT, check.parallel ?? NO_LIMIT);
    }
    const reply = (await this.scripts.run('rateLimitAdmit', keys, [
      command.windowMs,
      command.tokens,
      command.slotId,
      command.slotLeaseMs,
      ...limits,
    ])) as ScriptReply;
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
    const keys = windows.map((reservation) => this.windowKey(reservation.counter));
    for (const counter of slotCounters) keys.push(this.slotsKey(counter));
    const args: (string | number)[] = [command.windowMs, command.tokenDelta, command.requestDelta, windows.length, command.slotId];
    for (const reservation of windows) args.push(reservation.windowStart);
    await this.scripts.run('rateLimitSettle', keys, args);
  }

  private windowKey(counter: string): string {
    return this.windowKeys.of(counter);
  }

  private slotsKey(counter: string): string {
    return this.slotsKeys.of(counter);
  }
}
