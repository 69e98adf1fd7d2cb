import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { chatError, chatOk, deployment, header, routingConfig, SERVER_ERROR, startRoutingGateway, upstreamError, type RoutingGateway } from './routing-test-kit';

const RATE_LIMITED = (retryAfter?: string) =>
  upstreamError(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded', retryAfter === undefined ? undefined : { 'retry-after': retryAfter });

/**
 * Issue 6's proof for retries, through the real gateway and the official SDK: how many times the upstream is
 * called is counted at the upstream itself. Cooldowns are off here so that every retry is visible (the
 * cooldown proofs are in cooldowns.e2e.spec.ts).
 */
describe('retries', () => {
  const upstream = new FakeOpenAIUpstream();
  let t: RoutingGateway;
  let client: OpenAI;

  beforeAll(async () => {
    await upstream.start();
    upstream.script('m-broken', SERVER_ERROR);
    upstream.script('m-rl-always', RATE_LIMITED());
    upstream.script('m-rl-none', RATE_LIMITED('1'));
    upstream.script('m-spread-bad', SERVER_ERROR);
    const yaml = routingConfig(
      [
        deployment('flaky', upstream, 'm-flaky'),
        deployment('broken', upstream, 'm-broken'),
        deployment('rl-once', upstream, 'm-rl-once'),
        deployment('rl-always', upstream, 'm-rl-always'),
        deployment('rl-none', upstream, 'm-rl-none'),
        deployment('spread', upstream, 'm-spread-bad'),
        deployment('spread', upstream, 'm-spread-good'),
      ],
      [
        'num_retries: 2',
        'disable_cooldowns: true',
        // Rate limits are retried once everywhere, and never for the rl-none group.
        'retry_policy: {RateLimitErrorRetries: 1}',
        'model_group_retry_policy: {rl-none: {RateLimitErrorRetries: 0}}',
      ],
    );
    t = await startRoutingGateway('routing_retries', yaml);
    client = t.client();
  });

  afterAll(async () => {
    await t?.close();
    await upstream.stop();
  });

  const calls = (model: string) => upstream.requestsFor(model).length;

  it('retries a 500 transparently: 200 with x-litellm-attempted-retries: 1, the upstream called twice', async () => {
    upstream.queue('m-flaky', SERVER_ERROR);
    const answer = await chatOk(client, 'flaky');
    expect(answer.content).not.toBe('');
    expect(header(answer.headers, 'x-litellm-attempted-retries')).toBe('1');
    expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('0');
    expect(calls('m-flaky')).toBe(2);
  });

  it('num_retries (2) bounds the attempts; the last 500 reaches the caller as InternalServerError', async () => {
    const before = calls('m-broken');
    const failed = await chatError(client, 'broken');
    expect(failed.error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(failed.status).toBe(500);
    expect(failed.error.message).toMatch(/server had an error/);
    expect(calls('m-broken') - before).toBe(3);
  });

  it('per-request num_retries in the body wins: 0 surfaces the first 500, 3 makes four attempts', async () => {
    let before = calls('m-broken');
    const once = await chatError(client, 'broken', { num_retries: 0 });
    expect(once.error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(calls('m-broken') - before).toBe(1);

    before = calls('m-broken');
    await chatError(client, 'broken', { num_retries: 3 });
    expect(calls('m-broken') - before).toBe(4);
  });

  it('per-request x-litellm-num-retries header is honoured too', async () => {
    let before = calls('m-broken');
    await chatError(client, 'broken', {}, { 'x-litellm-num-retries': '0' });
    expect(calls('m-broken') - before).toBe(1);

    before = calls('m-broken');
    await chatError(client, 'broken', {}, { 'x-litellm-num-retries': '1' });
    expect(calls('m-broken') - before).toBe(2);
  });

  it("waits at least the upstream's retry-after before retrying a 429 on the same deployment (cooldowns disabled)", async () => {
    upstream.queue('m-rl-once', RATE_LIMITED('1'));
    const answer = await chatOk(client, 'rl-once');
    expect(header(answer.headers, 'x-litellm-attempted-retries')).toBe('1');
    const [first, second] = upstream.requestsFor('m-rl-once');
    // Without retry-after the first rate-limit backoff is 0.5 s; the header asks for 1 s.
    expect(second.at - first.at).toBeGreaterThanOrEqual(995);
    expect(second.at - first.at).toBeLessThan(3_000);
  });

  it('retry_policy RateLimitErrorRetries: 1 replaces num_retries (2) for rate limits', async () => {
    const failed = await chatError(client, 'rl-always');
    expect(failed.error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(failed.status).toBe(429);
    expect(calls('m-rl-always')).toBe(2);
  });

  it("retry_policy also wins over a request's own num_retries for its class (LiteLLM's precedence)", async () => {
    const before = calls('m-rl-always');
    await chatError(client, 'rl-always', { num_retries: 0 });
    expect(calls('m-rl-always') - before).toBe(2);
  });

  it('model_group_retry_policy RateLimitErrorRetries: 0 for one group: its 429 surfaces at once', async () => {
    const failed = await chatError(client, 'rl-none');
    expect(failed.error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(calls('m-rl-none')).toBe(1);
    expect(failed.elapsedMs).toBeLessThan(900);
  });

  it('a retry goes to another deployment of the group, at once', async () => {
    // Until the failing deployment has been picked first a few times (simple-shuffle picks at random).
    const retried: Array<Awaited<ReturnType<typeof chatOk>>> = [];
    for (let i = 0; i < 60 && retried.length < 3; i++) {
      const before = calls('m-spread-bad');
      const answer = await chatOk(client, 'spread');
      expect(answer.model).toBe('m-spread-good');
      const badCalls = calls('m-spread-bad') - before;
      expect(badCalls).toBeLessThanOrEqual(1);
      expect(header(answer.headers, 'x-litellm-attempted-retries')).toBe(String(badCalls));
      if (badCalls === 1) retried.push(answer);
    }
    expect(retried.length).toBe(3);
    for (const answer of retried) expect(answer.elapsedMs).toBeLessThan(1_000);
  });
});
