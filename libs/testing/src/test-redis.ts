import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL;
}

/**
 * A key prefix no other test run shares (`test:<label>:<pid>:<random>:`), so test files can use one Redis
 * in parallel and clean up with a SCAN on `<prefix>*`.
 */
export function uniquePrefix(label: string): string {
  const safeLabel = label.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'test';
  return `test:${safeLabel}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Connections and keys of one test file's Redis use, so the file can clean up after itself in one call. */
export interface RedisTestScope {
  /** Every key the file writes starts with this. */
  readonly prefix: string;
  /** A new connection (one per simulated replica), closed by `cleanup`. */
  connect(): Redis;
  /** Deletes every key under `prefix` and closes every connection; for `afterAll`. */
  cleanup(): Promise<void>;
}

export function redisTestScope(label: string): RedisTestScope {
  const prefix = uniquePrefix(label);
  const clients: Redis[] = [];
  const connect = (): Redis => {
    const client = new Redis(testRedisUrl());
    clients.push(client);
    return client;
  };
  return {
    prefix,
    connect,
    async cleanup() {
      const admin = connect();
      let cursor = '0';
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await admin.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      // A client a test already closed (or never connected) must not fail the cleanup.
      await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}
