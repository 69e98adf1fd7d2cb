import { Agent, request } from 'node:http';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from './support/fake-openai-upstream';
import { eventually, MASTER_KEY, startTestGateway } from './support/test-gateway';
import { UPSTREAM_API_KEY, upstreamConfigYaml } from './support/upstream-config';

const SLOW_ANSWER_MS = 1_500;

/** A chat completion over `agent` (which keeps its socket open afterwards); resolves with status and body. */
function post(url: string, agent: Agent, model: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
    const req = request(`${url}/v1/chat/completions`, {
      method: 'POST',
      agent,
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('shutdown with a stream in flight', () => {
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    upstream.script('m-endless', { kind: 'slow-stream', chunkDelayMs: 50, chunks: 10_000 });
    upstream.script('m-slow', { kind: 'answer', delayMs: SLOW_ANSWER_MS });
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

  // Clients keep connections open between requests (the SDKs, proxies, load balancers): an idle one must not
  // hold the process for the whole drain period, which is meant for requests still running.
  it('closes idle keep-alive connections at once instead of waiting out the drain period', async () => {
    const t = await startTestGateway(upstreamConfigYaml(upstream.url, [{ name: 'slow', upstreamModel: 'm-slow' }]), { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY });
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const warm = await post(t.url, agent, 'slow');
      expect(warm.status).toBe(200);
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
      const started = Date.now();
      await t.close();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      agent.destroy();
    }
  }, 30_000);

  it('finishes a request in flight and closes its connection once answered, while idle ones close at once', async () => {
    const t = await startTestGateway(upstreamConfigYaml(upstream.url, [{ name: 'slow', upstreamModel: 'm-slow' }]), { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY });
    const idleAgent = new Agent({ keepAlive: true });
    const busyAgent = new Agent({ keepAlive: true });
    try {
      expect((await post(t.url, idleAgent, 'slow')).status).toBe(200);
      const idleSocket = Object.values(idleAgent.freeSockets).flat()[0];
      const idleClosed = new Promise<number>((resolve) => idleSocket?.once('close', () => resolve(Date.now())));
      const inFlight = post(t.url, busyAgent, 'slow');
      const reached = upstream.received.length;
      const deadline = Date.now() + 5_000;
      while (upstream.received.length === reached && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));

      const started = Date.now();
      const closing = t.close();
      expect((await idleClosed) - started).toBeLessThan(500);
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.body).object).toBe('chat.completion');
      await closing;
      // Done about when the in-flight answer was, far before the 25 s drain period.
      expect(Date.now() - started).toBeLessThan(SLOW_ANSWER_MS + 1_500);
    } finally {
      idleAgent.destroy();
      busyAgent.destroy();
    }
  }, 30_000);
});
