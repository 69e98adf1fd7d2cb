import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisScriptBatch, type BatchableScript } from './redis-script-batch';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `tollgate-test:script-batch:${randomUUID()}:`;
const clients: Redis[] = [];

function connect(options: { enableAutoPipelining?: boolean } = {}): Redis {
  const client = new Redis(redisUrl, options);
  clients.push(client);
  return client;
}

afterAll(async () => {
  const admin = connect();
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
});

// A unique comment gives this file's batch script its own SHA, so no other test's script cache matters.
const SCRIPTS: BatchableScript[] = [
  { name: 'add', lua: `-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])` },
  { name: 'echo', lua: `return {#KEYS, KEYS[1], ARGV[1], ARGV[2]}` },
  { name: 'fail', lua: `return redis.call('INCR', KEYS[1])` },
  { name: 'nothing', lua: `return nil` },
];

/** The commands (name and arguments) `client` sends until `work` resolves. */
async function commandsSent(client: Redis, work: () => Promise<unknown>): Promise<{ name: string; args: unknown[] }[]> {
  const sent: { name: string; args: unknown[] }[] = [];
  const original = client.sendCommand.bind(client);
  client.sendCommand = ((command: { name: string; args: unknown[] }, stream?: unknown) => {
    sent.push({ name: command.name, args: command.args });
    return original(command as never, stream as never);
  }) as typeof client.sendCommand;
  try {
    await work();
  } finally {
    client.sendCommand = original;
  }
  return sent;
}

describe('RedisScriptBatch', () => {
  it('sends the calls of one turn as one script call, each with its own keys, arguments and reply', async () => {
    const client = connect();
    const batch = new RedisScriptBatch(client, SCRIPTS, 'testBatchOne');
    await client.ping();
    let replies: unknown[] = [];
    const sent = await commandsSent(client, async () => {
      replies = await Promise.all([
        batch.run('add', [`${prefix}a`], [5]),
        batch.run('echo', [`${prefix}x`, `${prefix}y`], ['first', 2]),
        batch.run('add', [`${prefix}a`], [7]),
        batch.run('add', [`${prefix}b`], [1]),
      ]);
    });
    expect(sent).toHaveLength(1);
    expect(replies).toEqual([5, [2, `${prefix}x`, 'first', '2'], 12, 1]);
    // A key several calls use travels once.
    expect(sent[0].args.filter((arg) => arg === `${prefix}a`)).toHaveLength(1);
    expect(String(sent[0].args[1])).toBe('4'); // KEYS: a, x, y, b
    expect(await client.get(`${prefix}a`)).toBe('12');
  });

  it('keeps hundreds of calls of one turn apart, in order, with every kind of argument', async () => {
    const client = connect();
    const batch = new RedisScriptBatch(client, SCRIPTS, 'testBatchMany');
    const values = Array.from({ length: 500 }, (_, index) => (index % 3 === 0 ? '' : index % 3 === 1 ? `v ${index}:é` : -index * 1.5));
    const replies = await Promise.all(values.map((value, index) => batch.run('echo', [`${prefix}m${index % 7}`], [value, index])));
    replies.forEach((reply, index) => expect(reply).toEqual([1, `${prefix}m${index % 7}`, String(values[index]), String(index)]));
  });

  it('refuses a string argument holding a newline (the batch separator), without sending anything', async () => {
    const client = connect();
    const batch = new RedisScriptBatch(client, SCRIPTS, 'testBatchNewline');
    await expect(batch.run('echo', [`${prefix}n`], ['two\nlines', 1])).rejects.toThrow('an argument of script "echo" contains a newline');
    expect(batch.whenWritten()).toBeUndefined();
  });

  it('starts a new script call for calls issued after the turn ended', async () => {
    const client = connect();
    const batch = new RedisScriptBatch(client, SCRIPTS, 'testBatchTurns');
    await client.ping();
    const sent = await commandsSent(client, async () => {
      await batch.run('add', [`${prefix}turns`], [1]);
      await batch.run('add', [`${prefix}turns`], [1]);
    });
    expect(sent).toHaveLength(2);
  });

  it("rejects only the call whose script failed; the others' writes and replies stand", async () => {
    const client = connect();
    const batch = new RedisScriptBatch(client, SCRIPTS, 'testBatchFail');
    await client.hset(`${prefix}hash`, 'field', '1');
    const outcomes = await Promise.allSettled([
      batch.run('add', [`${prefix}c`], [3]),
      batch.run('fail', [`${prefix}hash`], []),
      batch.run('nothing', [], []),
      batch.run('add', [`${prefix}c`], [4]),
    ]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 3 });
    expect(outcomes[1].status).toBe('rejected');
    expect(((outcomes[1] as PromiseRejectedResult).reason as Error).message).toMatch(/WRONGTYPE/);
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: undefined });
    expect(outcomes[3]).toEqual({ status: 'fulfilled', value: 7 });
  });

  it('rejects a call to a script it does not hold, without sending anything', async () => {
    const client = connect();
    const batch = new RedisScriptBatch(client, SCRIPTS, 'testBatchUnknown');
    await expect(batch.run('missing', [], [])).rejects.toThrow('script "missing" is not part of this batch');
    expect(batch.whenWritten()).toBeUndefined();
  });

  it('refuses a command name the connection already has (another batch, or a command of Redis)', () => {
    const client = connect();
    new RedisScriptBatch(client, SCRIPTS, 'testBatchShared');
    expect(() => new RedisScriptBatch(client, [SCRIPTS[1]], 'testBatchShared')).toThrow('already has a command named "testBatchShared"');
    expect(() => new RedisScriptBatch(client, SCRIPTS, 'get')).toThrow('already has a command named "get"');
  });

  it('refuses two scripts of one name', () => {
    expect(() => new RedisScriptBatch(connect(), [SCRIPTS[0], SCRIPTS[0]], 'testBatchTwice')).toThrow('registered twice');
  });

  it('rejects every call of a batch the connection could not send', async () => {
    const client = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    clients.push(client);
    client.on('error', () => undefined);
    const batch = new RedisScriptBatch(client, SCRIPTS, 'testBatchDown');
    const outcomes = await Promise.allSettled([batch.run('add', [`${prefix}d`], [1]), batch.run('nothing', [], [])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('resolves whenWritten once the batch has left for the socket, before any reply', async () => {
    const client = connect();
    const batch = new RedisScriptBatch(client, SCRIPTS, 'testBatchWritten');
    await client.ping();
    expect(batch.whenWritten()).toBeUndefined();
    let replied = false;
    const reply = batch.run('add', [`${prefix}w`], [1]).then(() => (replied = true));
    const written = batch.whenWritten();
    expect(written).toBeInstanceOf(Promise);
    expect(batch.whenWritten()).toBe(written); // one promise per batch
    await written;
    expect(replied).toBe(false);
    expect((client.stream as Socket).writableLength).toBe(0); // in the kernel, not in Node's buffer
    expect(batch.whenWritten()).toBeUndefined();
    await reply;
  });

  it('is not held back by a connection that auto-pipelines', async () => {
    const client = connect({ enableAutoPipelining: true });
    const batch = new RedisScriptBatch(client, SCRIPTS, 'testBatchPipelined');
    await client.ping();
    const reply = batch.run('add', [`${prefix}p`], [2]);
    await batch.whenWritten();
    expect(client.autoPipelineQueueSize).toBe(0);
    expect(await reply).toBe(2);
  });
});
