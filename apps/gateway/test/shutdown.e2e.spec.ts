import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from './support/fake-openai-upstream';
import { eventually, MASTER_KEY, startTestGateway } from './support/test-gateway';
import { UPSTREAM_API_KEY, upstreamConfigYaml } from './support/upstream-config';

describe('shutdown with a stream in flight', () => {
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    upstream.script('m-endless', { kind: 'slow-stream', chunkDelayMs: 50, chunks: 10_000 });
    db = await createTestDatabase('shutdown_e2e');
  });

  afterAll(async () => {
    await upstream?.stop();
    await db?.drop();
  });

  it('cuts a stream that outlives the drain period, cancels its upstream and still writes its log row', async () => {
    const t = await startTestGateway(upstreamConfigYaml(upstream.url, [{ name: 'endless', upstreamModel: 'm-endless' }]), { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY }, undefined, {
      shutdownDrainMs: 300,
    });
    const response = await fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'endless', messages: [{ role: 'user', content: 'go' }], stream: true }),
    });
    const callId = response.headers.get('x-litellm-call-id');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const started = Date.now();
    await t.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(upstream.received.at(-1)?.body.model).toBe('m-endless');
    await upstream.received.at(-1)?.aborted;
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const row = await eventually(async () => (await pg.query('SELECT status FROM request_logs WHERE call_id = $1', [callId])).rows[0], 5_000, 'log row');
      expect(row.status).toBe(499);
    } finally {
      await pg.end();
    }
  }, 30_000);
});
