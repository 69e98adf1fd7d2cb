import { randomUUID } from 'node:crypto';
import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { describeKeyValueStoreContract } from './key-value-store.contract';
import { KeyValueStoreUnavailableError } from './kv.errors';
import { RedisKeyValueStore } from './redis-key-value-store';
import { describeRedisUrl } from './redis-connection';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const filePrefix = `tollgate-test:kv:${randomUUID()}:`;
const admin = new Redis(redisUrl, { lazyConnect: true });

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${filePrefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await admin.quit();
});

describeKeyValueStoreContract('RedisKeyValueStore', (namespace) =>
  new RedisKeyValueStore({ url: redisUrl, prefix: `${filePrefix}${namespace}:` }),
);

/** A port nothing listens on: bound by the OS, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP relay in front of the test Redis that can be taken down and brought back to simulate an outage. */
class RedisOutageProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    const target = new URL(redisUrl);
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** The test Redis URL (credentials included) pointed at this proxy. */
  url(): string {
    const url = new URL(redisUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }
}

async function elapsedMs(action: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await action();
  return Date.now() - started;
}

describe('RedisKeyValueStore', () => {
  it('fails ping quickly with a clear error when Redis is unreachable, without revealing the password', async () => {
    const port = await unusedPort();
    const store = new RedisKeyValueStore({ url: `redis://admin:s3cret-pass@127.0.0.1:${port}/2`, prefix: filePrefix });
    let failure: unknown;
    const took = await elapsedMs(() => store.ping().catch((error: unknown) => (failure = error)));
    expect(took).toBeLessThan(2_000);
    expect(failure).toBeInstanceOf(KeyValueStoreUnavailableError);
    const message = (failure as Error).message;
    expect(message).toContain(`Redis at redis://127.0.0.1:${port}/2 is unreachable`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('s3cret-pass');

    await expect(store.increment('counter', 1, 1_000)).rejects.toBeInstanceOf(KeyValueStoreUnavailableError);
    await store.close();
  });

  it('fails commands fast during an outage and recovers, subscriptions included, when Redis returns', async () => {
    const proxy = new RedisOutageProxy();
    await proxy.start();
    const prefix = `${filePrefix}outage:`;
    const store = new RedisKeyValueStore({ url: proxy.url(), prefix });
    const direct = new RedisKeyValueStore({ url: redisUrl, prefix });
    const received: string[] = [];
    await store.subscribe('events', (message) => received.push(message));
    expect(await store.increment('counter')).toBe(1);

    await proxy.stop();
    let failure: unknown;
    const took = await elapsedMs(() => store.increment('counter').catch((error: unknown) => (failure = error)));
    expect(took).toBeLessThan(3_000);
    expect(failure).toBeInstanceOf(KeyValueStoreUnavailableError);
    expect((failure as Error).message).toMatch(/is unreachable: (connection lost|connect ECONNREFUSED)/);

    await proxy.start();
    const deadline = Date.now() + 10_000;
    while (!(await store.ping().then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error('store did not reconnect');
      await sleep(50);
    }
    expect(await store.increment('counter')).toBe(2);
    // The subscriber connection resubscribes on its own after reconnecting; retry until it has.
    while (received.length === 0) {
      if (Date.now() > deadline) throw new Error('subscription did not come back');
      await direct.publish('events', 'after outage');
      await sleep(50);
    }
    expect(received[0]).toBe('after outage');

    await Promise.all([store.close(), direct.close()]);
    await proxy.stop();
  });

  it('shares one subscriber connection between subscriptions and closes both connections', async () => {
    const connectionName = `tollgate-kv-test-${randomUUID().slice(0, 8)}`;
    const store = new RedisKeyValueStore({ url: redisUrl, prefix: filePrefix, connectionName });
    const connections = async (): Promise<number> =>
      String(await admin.client('LIST')).split('\n').filter((line) => line.includes(`name=${connectionName} `)).length;

    await store.ping();
    expect(await connections()).toBe(1);
    await Promise.all(['a', 'b', 'c'].map((channel) => store.subscribe(channel, () => undefined)));
    expect(await connections()).toBe(2);

    await store.close();
    const deadline = Date.now() + 2_000;
    while ((await connections()) > 0 && Date.now() < deadline) await sleep(20);
    expect(await connections()).toBe(0);
  });

  it('passes Redis reply errors through instead of calling them an outage', async () => {
    const store = new RedisKeyValueStore({ url: redisUrl, prefix: filePrefix });
    await store.set('text', 'abc');
    const failure = await store.increment('text').catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(KeyValueStoreUnavailableError);
    expect(String(failure)).toMatch(/not an integer/);
    await store.close();
  });
});

describe('describeRedisUrl', () => {
  it('keeps protocol, host, port and database but drops credentials', () => {
    expect(describeRedisUrl('redis://user:pw@cache.internal:6380/3')).toBe('redis://cache.internal:6380/3');
    expect(describeRedisUrl('rediss://:pw@cache.internal')).toBe('rediss://cache.internal:6379');
    expect(describeRedisUrl('not a url with pw')).toBe('redis (unparseable URL)');
  });
});
