import { Logger } from '@nestjs/common';
import Redis, { ReplyError } from 'ioredis';
import { checkFloatStep, checkIntegerStep, checkTtl } from './kv-arguments';
import { KeyValueStoreUnavailableError } from './kv.errors';
import type { KeyValueStore } from './kv.types';
import { RedisChannelSubscriber } from './redis-channel-subscriber';
import {
  closeConnection,
  describeRedisUrl,
  RedisConnectionMonitor,
  RedisConnectionSettings,
  redisOptions,
} from './redis-connection';

export interface RedisKeyValueStoreOptions extends RedisConnectionSettings {
  /** redis:// or rediss:// URL, optionally with user, password and database number. */
  url: string;
  /** Applied to every key and channel, so several deployments or test files can share one Redis. */
  prefix: string;
}

/**
 * Shared state in Redis, so that every gateway replica sees the same counters, cooldowns and messages.
 * Connections are opened on first use. Connection failures surface as `KeyValueStoreUnavailableError`
 * within a few seconds at most; Redis reply errors (for example incrementing a non-numeric value) keep
 * ioredis' `ReplyError`.
 */
export class RedisKeyValueStore implements KeyValueStore {
  private readonly logger = new Logger(RedisKeyValueStore.name);
  private readonly prefix: string;
  private readonly description: string;
  private readonly client: Redis;
  private readonly monitor: RedisConnectionMonitor;
  private readonly subscriber: RedisChannelSubscriber;
  private closing?: Promise<void>;

  constructor(options: RedisKeyValueStoreOptions) {
    this.prefix = options.prefix;
    this.description = describeRedisUrl(options.url);
    this.client = new Redis(options.url, redisOptions(options));
    this.monitor = new RedisConnectionMonitor(this.client, this.description, this.logger, 'command');
    this.subscriber = new RedisChannelSubscriber(() => {
      const connection = this.client.duplicate();
      new RedisConnectionMonitor(connection, this.description, this.logger, 'subscriber');
      return connection;
    }, this.logger);
  }

  async get(key: string): Promise<string | undefined> {
    return this.run(async () => (await this.client.get(this.prefix + key)) ?? undefined);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = checkTtl(ttlMs);
    return this.run(async () => {
      if (ttl === undefined) await this.client.set(this.prefix + key, value);
      else await this.client.set(this.prefix + key, value, 'PX', ttl);
    });
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    return this.run(async () => {
      const reply =
        ttl === undefined
          ? await this.client.set(this.prefix + key, value, 'NX')
          : await this.client.set(this.prefix + key, value, 'PX', ttl, 'NX');
      return reply === 'OK';
    });
  }

  async delete(key: string): Promise<void> {
    return this.run(async () => {
      await this.client.del(this.prefix + key);
    });
  }

  async increment(key: string, by = 1, ttlMs?: number): Promise<number> {
    const step = checkIntegerStep(by);
    const ttl = checkTtl(ttlMs);
    return this.run(async () => {
      if (ttl === undefined) return this.client.incrby(this.prefix + key, step);
      const [, total] = await this.createThen(key, ttl, (multi) => multi.incrby(this.prefix + key, step));
      return Number(total);
    });
  }

  async incrementFloat(key: string, by: number, ttlMs?: number): Promise<number> {
    const step = checkFloatStep(by);
    const ttl = checkTtl(ttlMs);
    return this.run(async () => {
      if (ttl === undefined) return Number(await this.client.incrbyfloat(this.prefix + key, step));
      const [, total] = await this.createThen(key, ttl, (multi) => multi.incrbyfloat(this.prefix + key, step));
      return Number(total);
    });
  }

  async ttl(key: string): Promise<number | undefined> {
    return this.run(async () => {
      const remaining = await this.client.pttl(this.prefix + key);
      // -2: no such key, -1: key without expiry.
      return remaining < 0 ? undefined : remaining;
    });
  }

  async publish(channel: string, message: string): Promise<void> {
    return this.run(async () => {
      await this.client.publish(this.prefix + channel, message);
    });
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    return this.run(() => this.subscriber.add(this.prefix + channel, handler));
  }

  async ping(): Promise<void> {
    return this.run(async () => {
      await this.client.ping();
    });
  }

  close(): Promise<void> {
    this.closing ??= Promise.all([
      closeConnection(this.client),
      this.subscriber.close(),
    ]).then(() => undefined);
    return this.closing;
  }

  /**
   * Creates the counter at 0 with its expiry only if it does not exist yet (SET NX PX), then applies the
   * step, in one MULTI so no other client can see or create the counter in between.
   */
  private async createThen(
    key: string,
    ttlMs: number,
    step: (multi: ReturnType<Redis['multi']>) => ReturnType<Redis['multi']>,
  ): Promise<unknown[]> {
    const replies = await step(this.client.multi().set(this.prefix + key, '0', 'PX', ttlMs, 'NX')).exec();
    if (replies === null) throw new Error('Redis aborted the transaction');
    return replies.map(([error, reply]) => {
      if (error) throw error;
      return reply;
    });
  }

  /** Turns connection-level failures into one error type that says where and why; reply errors pass through. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.closing !== undefined) {
      throw new KeyValueStoreUnavailableError(`The Redis key-value store for ${this.description} is closed`);
    }
    try {
      return await command();
    } catch (error) {
      if (error instanceof ReplyError || error instanceof RangeError) throw error;
      const reason = this.monitor.failure?.message ?? describeCommandFailure(error);
      throw new KeyValueStoreUnavailableError(`Redis at ${this.description} is unreachable: ${reason}`, {
        cause: error,
      });
    }
  }
}

/** ioredis' own wording for a dropped connection points at an option name rather than at the cause. */
function describeCommandFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === 'MaxRetriesPerRequestError' ? 'connection lost' : error.message;
}
