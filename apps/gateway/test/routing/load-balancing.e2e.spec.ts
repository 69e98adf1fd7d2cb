import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { chat, chatOk, chatStream, deployment, header, inParallel, routingConfig, startRoutingGateway, withinOneMinute, type RoutingGateway } from './routing-test-kit';

/**
 * Issue 6's proof for the strategies that decide where traffic goes, through the real gateway and the
 * official SDK, each in its own gateway (the strategy is a router-wide setting). Which deployment answered is
 * read from x-litellm-model-id and cross-checked with the calls each upstream model received.
 */
describe('load balancing', () => {
  const upstream = new FakeOpenAIUpstream();

  beforeAll(async () => {
    await upstream.start();
  });

  afterAll(async () => {
    await upstream.stop();
  });

  const calls = (model: string) => upstream.requestsFor(model).length;

  describe('simple-shuffle', () => {
    let t: RoutingGateway;

    beforeAll(async () => {
      const yaml = routingConfig(
        [
          deployment('weighted', upstream, 'm-weight-1', ['weight: 1'], ['id: light']),
          deployment('weighted', upstream, 'm-weight-3', ['weight: 3'], ['id: heavy']),
        ],
        ['routing_strategy: simple-shuffle'],
      );
      t = await startRoutingGateway('routing_shuffle', yaml);
    });

    afterAll(async () => {
      await t?.close();
    });

    it('honours weight 1:3 over 2,000 requests, within 4 standard deviations', async () => {
      const client = t.client();
      const N = 2_000;
      const ids = await inParallel(N, 25, async () => header((await chatOk(client, 'weighted')).headers, 'x-litellm-model-id'));
      const light = ids.filter((id) => id === 'light').length;
      const heavy = ids.filter((id) => id === 'heavy').length;
      expect(light + heavy).toBe(N);
      // Binomial(2000, 1/4): mean 500, sigma ~19.4; outside +-4 sigma by chance about once in 16,000 runs.
      // An even split (1000) or weights ignored in any other way lands far outside.
      const sigma = Math.sqrt(N * 0.25 * 0.75);
      expect(Math.abs(light - N * 0.25)).toBeLessThan(4 * sigma);
      expect(calls('m-weight-1')).toBe(light);
      expect(calls('m-weight-3')).toBe(heavy);
    }, 60_000);
  });

  describe('latency-based-routing', () => {
    let t: RoutingGateway;

    beforeAll(async () => {
      upstream.script('m-fast', { kind: 'answer', delayMs: 5 });
      upstream.script('m-slow', { kind: 'answer', delayMs: 100 });
      // Streams: m-early's first chunk comes after ~15 ms but the whole stream takes ~165 ms; m-late sends
      // nothing for 90 ms, then everything at once. By time to first token m-early is faster, by total
      // time m-late.
      upstream.script('m-early', { kind: 'slow-stream', chunkDelayMs: 15, chunks: 10 });
      upstream.script('m-late', { kind: 'answer', delayMs: 90 });
      const yaml = routingConfig(
        [
          deployment('lat', upstream, 'm-fast'),
          deployment('lat', upstream, 'm-slow'),
          deployment('lat-stream', upstream, 'm-early'),
          deployment('lat-stream', upstream, 'm-late'),
          deployment('warm-up', upstream, 'm-warm-up'),
        ],
        ['routing_strategy: latency-based-routing'],
      );
      t = await startRoutingGateway('routing_latency', yaml);
      // A fresh gateway's first calls are slow (connection pool, JIT): they must not be the first samples the
      // strategy ranks by, or a cold fast deployment could look slower than a warm slow one.
      for (let i = 0; i < 3; i++) {
        await chatOk(t.client(), 'warm-up');
        await chatStream(t.client(), 'warm-up');
      }
    });

    afterAll(async () => {
      await t?.close();
    });

    it('sends everything to the fast deployment (5 ms vs 100 ms) once both are measured', async () => {
      const client = t.client();
      // Warm-up: a deployment without a sample is tried first, so both get measured.
      for (let i = 0; i < 4; i++) await chatOk(client, 'lat');
      expect(calls('m-fast')).toBeGreaterThanOrEqual(1);
      expect(calls('m-slow')).toBeGreaterThanOrEqual(1);
      const slowBefore = calls('m-slow');
      for (let i = 0; i < 30; i++) expect((await chatOk(client, 'lat')).model).toBe('m-fast');
      expect(calls('m-slow')).toBe(slowBefore);
    });

    it('ranks streams by time to first token, not by total time', async () => {
      const client = t.client();
      for (let i = 0; i < 4; i++) await chatStream(client, 'lat-stream');
      expect(calls('m-early')).toBeGreaterThanOrEqual(1);
      expect(calls('m-late')).toBeGreaterThanOrEqual(1);
      const lateBefore = calls('m-late');
      for (let i = 0; i < 10; i++) {
        const stream = await chatStream(client, 'lat-stream');
        expect(stream.error).toBeUndefined();
        expect(stream.text).toMatch(/^w0 w1 /);
      }
      expect(calls('m-late')).toBe(lateBefore);
    });
  });

  describe('usage-based-routing-v2 (state in Redis)', () => {
    let t: RoutingGateway;

    beforeAll(async () => {
      upstream.script('m-rpm-5', { kind: 'answer', delayMs: 200 });
      upstream.script('m-rpm-10', { kind: 'answer', delayMs: 200 });
      const yaml = routingConfig(
        [deployment('ub', upstream, 'm-rpm-5', ['rpm: 5']), deployment('ub', upstream, 'm-rpm-10', ['rpm: 10'])],
        ['routing_strategy: usage-based-routing-v2'],
      );
      t = await startRoutingGateway('routing_usage', yaml, { redis: true });
    });

    afterAll(async () => {
      await t?.close();
    });

    it('never exceeds a deployment rpm: 30 concurrent requests on rpm 5 + 10 -> exactly 15 served, the rest 429 naming the group', async () => {
      const client = t.client();
      // Usage is counted per wall-clock minute: the burst must not straddle two.
      await withinOneMinute(5_000);
      const outcomes = await inParallel(30, 30, () => chat(client, 'ub'));
      const served = outcomes.filter((o) => o.ok);
      const refused = outcomes.filter((o) => !o.ok);
      expect(served).toHaveLength(15);
      expect(calls('m-rpm-5')).toBe(5);
      expect(calls('m-rpm-10')).toBe(10);
      expect(upstream.concurrency('m-rpm-10').peak).toBeGreaterThan(1); // the requests really overlapped
      expect(refused).toHaveLength(15);
      for (const outcome of refused) {
        if (outcome.ok) continue;
        expect(outcome.error).toBeInstanceOf(OpenAI.RateLimitError);
        expect(outcome.error.code).toBe('no_deployments_available');
        expect(outcome.error.message).toContain('model group "ub"');
        expect(outcome.error.headers?.get('retry-after')).toBeTruthy();
      }
    });
  });

  describe('optional_pre_call_checks: [enforce_model_rate_limits] (simple-shuffle, state in Redis)', () => {
    let t: RoutingGateway;

    beforeAll(async () => {
      upstream.script('m-enforced-3', { kind: 'answer', delayMs: 200 });
      upstream.script('m-enforced-2', { kind: 'answer', delayMs: 200 });
      // One limit beside litellm_params (as LiteLLM's load-balancing page writes it), one inside.
      const yaml = routingConfig(
        [`${deployment('enforced', upstream, 'm-enforced-3')}\n    rpm: 3`, deployment('enforced', upstream, 'm-enforced-2', ['rpm: 2'])],
        ['optional_pre_call_checks: [enforce_model_rate_limits]'],
      );
      t = await startRoutingGateway('routing_enforced_limits', yaml, { redis: true });
    });

    afterAll(async () => {
      await t?.close();
    });

    it('turns deployment rpm into a hard limit: 12 concurrent requests on rpm 3 + 2 -> exactly 5 served, the rest 429', async () => {
      await withinOneMinute(5_000);
      const outcomes = await inParallel(12, 12, () => chat(t.client(), 'enforced'));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
      expect(calls('m-enforced-3')).toBe(3);
      expect(calls('m-enforced-2')).toBe(2);
      for (const outcome of outcomes) {
        if (outcome.ok) continue;
        expect(outcome.error).toBeInstanceOf(OpenAI.RateLimitError);
        expect(outcome.error.code).toBe('no_deployments_available');
        expect(outcome.error.message).toContain('every deployment is at its rpm/tpm limit');
        expect(outcome.error.headers?.get('retry-after')).toBe('60');
      }
    });
  });
});
