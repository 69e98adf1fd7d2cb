import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT, FakeOpenAIUpstream, type ReceivedRequest } from '../support/fake-openai-upstream';
import { chatError, chatOk, chatStream, deployment, header, routingConfig, SERVER_ERROR, startRoutingGateway, type RoutingGateway } from './routing-test-kit';

/** Resolves true once the gateway closed the upstream connection, false if it still holds it after `ms`. */
function closedWithin(request: ReceivedRequest, ms: number): Promise<boolean> {
  return Promise.race([request.aborted.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

/** A first chunk this late never comes within the test's timeouts. */
const LATE_FIRST_CHUNK_MS = 2_500;

/**
 * Issue 6's proof for timeouts and streams, through the real gateway and the official SDK: a timed-out
 * attempt is cancelled (the fake sees its connection close), retried or fallen back, or surfaced as the
 * gateway's 504; a stream that fails before its first chunk is retried without the caller noticing, one that
 * dies after it ends with an error event.
 */
describe('timeouts and streams', () => {
  const upstream = new FakeOpenAIUpstream();
  let t: RoutingGateway;
  let client: OpenAI;

  beforeAll(async () => {
    await upstream.start();
    for (const model of ['m-hang', 'm-hang-fb', 'm-hang-default']) upstream.script(model, { kind: 'hang' });
    // The 200 and its headers come at once; only the first chunk is late.
    for (const model of ['m-st-slow', 'm-slow-first']) upstream.script(model, { kind: 'slow-stream', chunkDelayMs: LATE_FIRST_CHUNK_MS, chunks: 2, headersFirst: true });
    upstream.script('m-mid', { kind: 'die-mid-stream', chunksBeforeDeath: 2 });
    const yaml = routingConfig(
      [
        deployment('hang-alone', upstream, 'm-hang', ['timeout: 0.3']),
        deployment('hang-fallback', upstream, 'm-hang-fb', ['timeout: 0.3']),
        deployment('to-ok', upstream, 'm-to-ok'),
        deployment('hang-default', upstream, 'm-hang-default', ['timeout: 30']),
        deployment('st', upstream, 'm-st-slow', ['timeout: 30', 'stream_timeout: 0.3']),
        deployment('st', upstream, 'm-st-ok'),
        deployment('slow-first', upstream, 'm-slow-first'),
        deployment('sf', upstream, 'm-sf'),
        deployment('mid', upstream, 'm-mid'),
      ],
      ['num_retries: 1', 'disable_cooldowns: true', 'fallbacks: [{hang-fallback: [to-ok]}]'],
    );
    t = await startRoutingGateway('routing_timeouts', yaml);
    client = t.client();
  });

  afterAll(async () => {
    await t?.close();
    await upstream.stop();
  });

  const calls = (model: string) => upstream.requestsFor(model);

  it("a deployment's timeout on a hanging upstream: each attempt cancelled upstream, retried, then a 504 timeout", async () => {
    const failed = await chatError(client, 'hang-alone');
    expect(failed.error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(failed.status).toBe(504);
    expect(failed.error.code).toBe('timeout');
    expect(failed.error.message).toMatch(/did not respond within 300 ms/);
    const attempts = calls('m-hang');
    expect(attempts).toHaveLength(2); // num_retries: 1
    for (const attempt of attempts) expect(await closedWithin(attempt, 1_000)).toBe(true);
    expect(failed.elapsedMs).toBeGreaterThanOrEqual(600);
    expect(failed.elapsedMs).toBeLessThan(3_000);
  });

  it('a timed-out group falls back: 200 from the fallback, the hanging calls closed', async () => {
    const answer = await chatOk(client, 'hang-fallback');
    expect(answer.model).toBe('m-to-ok');
    expect(header(answer.headers, 'x-litellm-attempted-retries')).toBe('1');
    expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
    const attempts = calls('m-hang-fb');
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) expect(await closedWithin(attempt, 1_000)).toBe(true);
  });

  it("a per-request timeout in the body overrides the deployment's (30 s): 504 after ~0.3 s, upstream closed", async () => {
    const failed = await chatError(client, 'hang-default', { timeout: 0.3, num_retries: 0 });
    expect(failed.status).toBe(504);
    expect(failed.error.code).toBe('timeout');
    expect(failed.elapsedMs).toBeLessThan(2_000);
    const [attempt] = calls('m-hang-default');
    expect(await closedWithin(attempt, 1_000)).toBe(true);
  });

  it('stream_timeout with a slow first chunk: retried on the other deployment, the caller gets a normal stream', async () => {
    // simple-shuffle picks at random: stream until the slow deployment has been tried first twice.
    const retried = [];
    for (let i = 0; i < 40 && calls('m-st-slow').length < 2; i++) {
      const before = calls('m-st-slow').length;
      const stream = await chatStream(client, 'st');
      expect(stream.error).toBeUndefined();
      expect(stream.text).toBe(DEFAULT_CONTENT);
      const slowTried = calls('m-st-slow').length - before;
      expect(header(stream.headers, 'x-litellm-attempted-retries')).toBe(String(slowTried));
      if (slowTried > 0) retried.push(stream);
    }
    expect(retried).toHaveLength(2);
    for (const stream of retried) {
      expect(stream.firstChunkMs).toBeGreaterThanOrEqual(300);
      expect(stream.firstChunkMs).toBeLessThan(LATE_FIRST_CHUNK_MS);
    }
    for (const attempt of calls('m-st-slow')) expect(await closedWithin(attempt, 1_000)).toBe(true);
  });

  it('a per-request stream_timeout in the body: 504 before any event, upstream closed', async () => {
    const started = Date.now();
    let error: unknown;
    try {
      await chatStream(client, 'slow-first', { stream_timeout: 0.3, num_retries: 0 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('timeout');
    expect((error as Error).message).toContain('Deployment "slow-first"');
    expect(Date.now() - started).toBeLessThan(LATE_FIRST_CHUNK_MS);
    const [attempt] = calls('m-slow-first');
    expect(await closedWithin(attempt, 1_000)).toBe(true);
  });

  it('a stream whose upstream fails before its first chunk (500) is retried transparently', async () => {
    upstream.queue('m-sf', SERVER_ERROR);
    const stream = await chatStream(client, 'sf');
    expect(stream.status).toBe(200);
    expect(stream.error).toBeUndefined();
    expect(stream.text).toBe(DEFAULT_CONTENT);
    expect(header(stream.headers, 'x-litellm-attempted-retries')).toBe('1');
    expect(calls('m-sf')).toHaveLength(2);
  });

  it('a stream that dies after its first chunk ends with an error event: no retry, no hang', async () => {
    const stream = await chatStream(client, 'mid');
    expect(stream.status).toBe(200);
    expect(stream.text).toBe('part0 part1 ');
    expect(stream.error).toBeInstanceOf(OpenAI.APIError);
    expect(stream.elapsedMs).toBeLessThan(3_000);
    expect(calls('m-mid')).toHaveLength(1);
  });
});
