import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cuttableProxy, type CuttableProxy } from './support/cuttable-proxy';
import { MASTER_KEY, startTestGateway, type TestGateway } from './support/test-gateway';

const YAML = `model_list:
  - model_name: fake
    litellm_params:
      model: fake/demo
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`;

describe('health endpoints', () => {
  let db: TestDatabase;
  let redisProxy: CuttableProxy;
  let pgProxy: CuttableProxy;
  let t: TestGateway;

  beforeAll(async () => {
    db = await createTestDatabase('readiness_e2e');
    redisProxy = await cuttableProxy(Number(new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379));
    pgProxy = await cuttableProxy(Number(new URL(db.url).port || 5432));
    const viaProxy = new URL(db.url);
    viaProxy.port = String(pgProxy.port);
    t = await startTestGateway(YAML, { DATABASE_URL: viaProxy.toString(), REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, TEST_MASTER_KEY: MASTER_KEY }, `test-readiness-${process.pid}`);
  });

  afterAll(async () => {
    await t?.close();
    await redisProxy?.close();
    await pgProxy?.close();
    await db?.drop();
  });

  const get = async (path: string) => {
    const response = await fetch(`${t.url}${path}`);
    return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined };
  };

  it('liveliness answers without a key', async () => {
    const response = await fetch(`${t.url}/health/liveliness`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("I'm alive!");
  });

  it('readiness is 200 with database and redis up', async () => {
    const { status, body } = await get('/health/readiness');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('readiness is 503 naming redis when Redis goes down', async () => {
    redisProxy.cut();
    const { status, body } = await get('/health/readiness');
    expect(status).toBe(503);
    expect(body?.message).toBe('Not ready: redis unavailable.');
    expect(body).toMatchObject({ error: { redis: { status: 'down' } }, info: { database: { status: 'up' } } });
  });

  it('readiness names the database too when PostgreSQL goes down', async () => {
    pgProxy.cut();
    const { status, body } = await get('/health/readiness');
    expect(status).toBe(503);
    expect(body?.message).toBe('Not ready: database, redis unavailable.');
    expect(JSON.stringify(body)).not.toContain('postgres@');
  });
});
