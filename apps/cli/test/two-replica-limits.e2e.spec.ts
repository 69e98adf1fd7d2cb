import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@tollgate/testing';
import IORedis from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../../gateway/test/support/fake-openai-upstream';
import { UPSTREAM_API_KEY } from '../../gateway/test/support/upstream-config';
import { cleanEnv, ensureBuilt, startCli, type CliServer } from './cli-process';

const MASTER = 'sk-two-replica-limits-master';
const UPSTREAM_MODEL = 'gpt-4o-mini';
const RPM_WINDOW_MS = 60_000;
const BUSY_UPSTREAM_MS = 300;

/** What one call through the SDK ended with: its replica, and either the admission headers or the refusal. */
interface Outcome {
  replica: number;
  status: number;
  remainingRequests?: string | null;
  limitRequests?: string | null;
  errorType?: string;
  message?: string;
  retryAfter?: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `count` tasks with at most `width` in flight at once; results in task order. */
async function pool<T>(count: number, width: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}

async function poll<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Issue 5's proof that rate limits hold across replicas: two real `tollgate start` processes sharing one
 * PostgreSQL and one Redis, called with the official OpenAI SDK, in front of local upstreams speaking
 * OpenAI's wire format that count what actually reaches them.
 */
describe('rate limits across two gateway replicas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-replica-limits-'));
  const prefix = uniquePrefix('replica-limits').replace(/:$/, '');
  /** Answers at once: counts the requests the rpm limit let through. */
  const quick = new FakeOpenAIUpstream();
  /** Answers after BUSY_UPSTREAM_MS, so parallel requests overlap. */
  const busy = new FakeOpenAIUpstream();
  /** Streams for ~20 s: held open until the caller aborts. */
  const stalled = new FakeOpenAIUpstream();
  let db: TestDatabase;
  const replicas: CliServer[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    await Promise.all([quick.start(), busy.start(), stalled.start()]);
    busy.script(UPSTREAM_MODEL, { kind: 'answer', delayMs: BUSY_UPSTREAM_MS });
    stalled.script(UPSTREAM_MODEL, { kind: 'slow-stream', chunkDelayMs: 100, chunks: 200 });
    db = await createTestDatabase('two_replica_limits');
    const deployment = (name: string, upstream: FakeOpenAIUpstream) =>
      `  - model_name: ${name}\n    litellm_params:\n      model: openai/${UPSTREAM_MODEL}\n      api_base: ${upstream.url}/v1\n      api_key: os.environ/UPSTREAM_API_KEY\n`;
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `model_list:\n${deployment('gpt-4o-mini', quick)}${deployment('gpt-4o-mini-busy', busy)}${deployment('gpt-4o-mini-stalled', stalled)}` +
        `general_settings:\n  master_key: ${MASTER}\n`,
    );
    const env = cleanEnv({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), TOLLGATE_REDIS_PREFIX: prefix, TOLLGATE_DATA_DIR: join(dir, 'data'), UPSTREAM_API_KEY });
    for (let i = 0; i < 2; i++) {
      const replica = await startCli(['start', '--config', config, '--port', '0', '--host', '127.0.0.1'], env, /Gateway listening on (\S+)/);
      replicas.push(replica);
      urls.push(/Gateway listening on (\S+)/.exec(replica.output())?.[1] as string);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await Promise.all([quick.stop(), busy.stop(), stalled.stop()]);
    await db?.drop();
    const redis = new IORedis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  const generateKey = async (body: Record<string, unknown>): Promise<string> => {
    const response = await fetch(`${urls[0]}/key/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { key: string }).key;
  };

  const clientsFor = (key: string) => urls.map((url) => new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0, timeout: 20_000 }));

  /** One chat completion (streamed to the end when `stream`), reported as an Outcome instead of throwing a 4xx. */
  async function call(clients: OpenAI[], replica: number, model: string, stream = false): Promise<Outcome> {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    try {
      if (stream) {
        const { data, response } = await clients[replica].chat.completions.create({ model, messages, stream: true }).withResponse();
        let text = '';
        for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? '';
        expect(text).not.toBe('');
        return { replica, status: response.status, remainingRequests: response.headers.get('x-ratelimit-remaining-requests') };
      }
      const { data, response } = await clients[replica].chat.completions.create({ model, messages }).withResponse();
      expect(data.choices[0].message.content).not.toBe('');
      return {
        replica,
        status: response.status,
        remainingRequests: response.headers.get('x-ratelimit-remaining-requests'),
        limitRequests: response.headers.get('x-ratelimit-limit-requests'),
      };
    } catch (err) {
      if (!(err instanceof OpenAI.APIError) || err.status === undefined) throw err;
      return { replica, status: err.status, errorType: err.type, message: err.message, retryAfter: err.headers?.get('retry-after') };
    }
  }

  it('admits exactly rpm_limit 50 requests of 150 sent alternately to both replicas, refusing the rest with 429', async () => {
    const key = await generateKey({ key_alias: 'rpm-50', rpm_limit: 50 });
    const clients = clientsFor(key);

    // The limiter's rpm window is fixed, 60 s long, and opened by the key's first request (Redis clock), not
    // aligned to wall-clock minutes (libs/limits rate-limit-scripts.ts). This key is new, so the burst starts
    // a window, and as long as it ends well inside 60 s no window boundary can split it: every request below
    // is judged against the same window. Refused requests are not counted, so the 50 admitted here are all
    // that window can ever admit: nothing more gets through until 60 s after the first request, which the
    // refusals' retry-after confirms. That is the per-minute bound, without waiting out the minute. (The bound
    // is per window: a 60 s span straddling the end of one window and the start of the next can see 2 x 50.)
    const reachedBefore = quick.received.length;
    const started = Date.now();
    const outcomes = await pool(150, 10, (index) => call(clients, index % 2, 'gpt-4o-mini'));
    const elapsedMs = Date.now() - started;
    expect(elapsedMs).toBeLessThan(RPM_WINDOW_MS / 2);

    const admitted = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status !== 200);
    expect(admitted).toHaveLength(50);
    expect(quick.received.length - reachedBefore).toBe(50);
    // Both replicas admitted some, and they shared one counter: each count from 49 left down to 0 was handed
    // out exactly once, so no admission on one replica was missed by the other.
    expect(new Set(admitted.map((o) => o.replica))).toEqual(new Set([0, 1]));
    expect(admitted.every((o) => o.limitRequests === '50')).toBe(true);
    expect(admitted.map((o) => Number(o.remainingRequests)).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));

    expect(refused).toHaveLength(100);
    expect(new Set(refused.map((o) => o.replica))).toEqual(new Set([0, 1]));
    const minRetryAfter = Math.floor((RPM_WINDOW_MS - elapsedMs) / 1000);
    for (const refusal of refused) {
      expect(refusal.status).toBe(429);
      expect(refusal.errorType).toBe('rate_limit_error');
      expect(refusal.message).toMatch(/key rpm-50: rpm_limit 50/);
      const retryAfter = Number(refusal.retryAfter);
      expect(retryAfter).toBeGreaterThanOrEqual(minRetryAfter);
      expect(retryAfter).toBeLessThanOrEqual(RPM_WINDOW_MS / 1000);
    }
  }, 60_000);

  it('never lets more than max_parallel_requests 2 reach the upstream under 20 concurrent callers on both replicas', async () => {
    const key = await generateKey({ key_alias: 'parallel-2', max_parallel_requests: 2 });
    const clients = clientsFor(key);
    const refusals: Outcome[] = [];
    const admitted: Outcome[] = [];
    const deadline = Date.now() + 30_000;
    const reachedBefore = busy.received.length;

    // Each caller retries after a refusal until it is served once: 20 calls of 300 ms through 2 slots need
    // at least 3 s of slots being taken, freed (JSON and stream answers alike) and taken again.
    const caller = async (index: number) => {
      const replica = index % 2;
      const stream = index % 3 === 0;
      while (Date.now() < deadline) {
        const outcome = await call(clients, replica, 'gpt-4o-mini-busy', stream);
        if (outcome.status === 200) return void admitted.push(outcome);
        refusals.push(outcome);
        await sleep(20 + Math.random() * 40);
      }
      throw new Error(`caller ${index} was never admitted`);
    };
    await Promise.all(Array.from({ length: 20 }, (_, index) => caller(index)));

    expect(admitted).toHaveLength(20);
    expect(busy.received.length - reachedBefore).toBe(20);
    expect(new Set(admitted.map((o) => o.replica))).toEqual(new Set([0, 1]));
    // The upstream saw two requests at once (the limit was reached) and never three.
    expect(busy.concurrency(UPSTREAM_MODEL).peak).toBe(2);
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals.map((o) => o.replica))).toEqual(new Set([0, 1]));
    for (const refusal of refusals) {
      expect(refusal.status).toBe(429);
      expect(refusal.errorType).toBe('rate_limit_error');
      expect(refusal.message).toMatch(/key parallel-2: max_parallel_requests 2/);
      expect(Number(refusal.retryAfter)).toBeGreaterThan(0);
    }
  }, 60_000);

  it('frees both parallel slots on both replicas once the callers abort their streams', async () => {
    const key = await generateKey({ key_alias: 'abort-2', max_parallel_requests: 2 });
    const clients = clientsFor(key);
    const openStream = async (replica: number) => {
      const controller = new AbortController();
      const response = await fetch(`${urls[replica]}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini-stalled', stream: true, messages: [{ role: 'user', content: 'go' }] }),
        signal: controller.signal,
      });
      if (response.status === 200) {
        // The first SSE chunk proves the stream is flowing (mid-stream when it is aborted).
        const first = await (response.body as ReadableStream<Uint8Array>).getReader().read();
        expect(new TextDecoder().decode(first.value)).toMatch(/^data: \{.*"chat\.completion\.chunk"/);
      } else {
        await response.body?.cancel();
      }
      return { status: response.status, abort: () => controller.abort() };
    };

    const firstStalled = stalled.received.length;
    const held = await Promise.all([openStream(0), openStream(1)]);
    expect(held.map((s) => s.status)).toEqual([200, 200]);
    expect(stalled.concurrency(UPSTREAM_MODEL).now).toBe(2);
    for (const replica of [0, 1]) {
      const refused = await call(clients, replica, 'gpt-4o-mini');
      expect(refused.status).toBe(429);
      expect(refused.message).toMatch(/key abort-2: max_parallel_requests 2/);
    }

    const abortedAt = Date.now();
    for (const stream of held) stream.abort();
    // Both slots are free again when two new streams, one per replica, are admitted side by side.
    const reopened = await poll(
      async () => {
        const pair = await Promise.all([openStream(0), openStream(1)]);
        if (pair.every((s) => s.status === 200)) return pair;
        for (const stream of pair) stream.abort();
        return undefined;
      },
      3_000,
      'both parallel slots to be freed',
    );
    expect(Date.now() - abortedAt).toBeLessThan(3_000);
    // The aborted calls were cancelled upstream too, not left running behind the freed slots.
    await Promise.all(stalled.received.slice(firstStalled, firstStalled + 2).map((request) => request.aborted));
    for (const stream of reopened) stream.abort();
    await poll(async () => (stalled.concurrency(UPSTREAM_MODEL).now === 0 ? true : undefined), 3_000, 'the upstream streams to end');
    expect(stalled.concurrency(UPSTREAM_MODEL).peak).toBe(2);
    const admittedAgain = await poll(async () => ((await call(clients, 1, 'gpt-4o-mini')).status === 200 ? true : undefined), 3_000, 'a new request');
    expect(admittedAgain).toBe(true);
  }, 60_000);

  it('frees the slot of a caller that hangs up before its request is admitted', async () => {
    const key = await generateKey({ key_alias: 'hangup-1', max_parallel_requests: 1 });
    const clients = clientsFor(key);
    const body = JSON.stringify({ model: 'gpt-4o-mini-busy', messages: [{ role: 'user', content: 'hi' }] });
    // Raw sockets closed 0-3 ms after sending: some close while auth or the limiter is still deciding, before
    // the reply's 'close' listener exists.
    for (let i = 0; i < 20; i++) {
      const { port } = new URL(urls[i % 2]);
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            `POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\nauthorization: Bearer ${key}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          );
          setTimeout(() => resolve(void socket.destroy()), i % 4);
        });
      });
    }
    // Calls admitted before their caller left are cancelled and free their slot on close; none stays held.
    for (const replica of [0, 1]) {
      await poll(async () => ((await call(clients, replica, 'gpt-4o-mini')).status === 200 ? true : undefined), 3_000, `replica ${replica} to admit the key again`);
    }
  }, 60_000);
});
