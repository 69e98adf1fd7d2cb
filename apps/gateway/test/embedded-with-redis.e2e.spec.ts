import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tollgate/config';
import { EmbeddedPostgres } from '@tollgate/database';
import { startGateway } from '@tollgate/gateway';
import { QueuedRequestLogSink } from '@tollgate/request-log';
import { testRedisUrl, uniquePrefix } from '@tollgate/testing';
import OpenAI from 'openai';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

describe('request logs when Redis is set but the database is embedded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-embedded-redis-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are written by the gateway itself (no worker could reach the embedded database)', async () => {
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'model_list:\n  - model_name: fake\n    litellm_params:\n      model: fake/demo\ngeneral_settings:\n  master_key: sk-embedded-redis\n');
    const config = loadConfig(file, { env: { REDIS_URL: testRedisUrl(), TOLLGATE_DATA_DIR: join(dir, 'data') }, overrides: { host: '127.0.0.1', port: 0 } });
    const gateway = await startGateway(config, { redisPrefix: uniquePrefix('embedded-redis').replace(/:$/, ''), logger: ['error'] });
    const client = new OpenAI({ apiKey: 'sk-embedded-redis', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const { response } = await client.chat.completions.create({ model: 'fake', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    await gateway.close();

    const embedded = await EmbeddedPostgres.start({ dataDir: join(dir, 'data') });
    const pg = new Client({ connectionString: embedded.url });
    try {
      await pg.connect();
      const { rows } = await pg.query('SELECT status FROM request_logs WHERE call_id = $1', [response.headers.get('x-litellm-call-id')]);
      expect(rows).toEqual([{ status: 200 }]);
    } finally {
      await pg.end();
      await embedded.stop();
    }
  });
});

describe('the queued sink when Redis is down', () => {
  it('closes within its time limit instead of waiting forever for Redis', async () => {
    const sink = new QueuedRequestLogSink({ redisUrl: 'redis://127.0.0.1:1', prefix: 'tollgate-test-dead' });
    for (let i = 0; i < 3; i++) {
      sink.enqueue({ callId: `dead-${i}`, startedAt: 0, endedAt: 1, keyHash: 'k', requestedModel: 'm', route: '/r', stream: false, status: 200, promptTokens: 0, completionTokens: 0, totalTokens: 0, latencyMs: 1 });
    }
    const started = Date.now();
    await sink.close();
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 15_000);
});
