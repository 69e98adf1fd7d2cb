import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@tollgate/testing';
import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ensureBuilt, startCli, type CliServer } from './cli-process';

const MASTER = 'sk-two-replicas-master';

/**
 * Two gateway processes sharing one PostgreSQL and one Redis: a change made through one replica's
 * management API reaches the other's in-memory identity cache within a second.
 */
describe('two gateway replicas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-replicas-'));
  const prefix = uniquePrefix('replicas').replace(/:$/, '');
  let db: TestDatabase;
  const replicas: CliServer[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    db = await createTestDatabase('two_replicas');
    const config = join(dir, 'config.yaml');
    writeFileSync(config, `model_list:\n  - model_name: fake\n    litellm_params:\n      model: fake/replica\ngeneral_settings:\n  master_key: ${MASTER}\n`);
    const env = cleanEnv({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), TOLLGATE_REDIS_PREFIX: prefix, TOLLGATE_DATA_DIR: join(dir, 'data') });
    for (let i = 0; i < 2; i++) {
      const replica = await startCli(['start', '--config', config, '--port', '0', '--host', '127.0.0.1'], env, /Gateway listening on (\S+)/);
      replicas.push(replica);
      urls.push(/Gateway listening on (\S+)/.exec(replica.output())?.[1] as string);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await db?.drop();
    const redis = new IORedis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  const chat = (url: string, key: string) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'hi' }] }),
    });

  const manage = (url: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('a key blocked on one replica is refused by the other within one second', async () => {
    const generated = (await (await manage(urls[0], '/key/generate', { key_alias: 'replica-test' })).json()) as { key: string };
    expect(generated.key).toMatch(/^sk-/);
    // Warm the second replica's cache with the key.
    expect((await chat(urls[1], generated.key)).status).toBe(200);

    const blocked = await manage(urls[0], '/key/block', { key: generated.key });
    expect(blocked.status).toBe(200);
    const blockedAt = Date.now();
    let status = 0;
    while (Date.now() - blockedAt < 1_000) {
      status = (await chat(urls[1], generated.key)).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(401);
    expect(Date.now() - blockedAt).toBeLessThan(1_000);

    expect((await manage(urls[1], '/key/unblock', { key: generated.key })).status).toBe(200);
    const unblockedAt = Date.now();
    while (Date.now() - unblockedAt < 1_000 && (await chat(urls[0], generated.key)).status !== 200) await new Promise((r) => setTimeout(r, 25));
    expect((await chat(urls[0], generated.key)).status).toBe(200);
  }, 30_000);
});
