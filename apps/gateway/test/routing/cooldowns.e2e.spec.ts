import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import {
  chatError,
  chatOk,
  deployment,
  header,
  routingConfig,
  SERVER_ERROR,
  sleep,
  startRoutingGateway,
  upstreamError,
  withinOneMinute,
  type RoutingGateway,
} from './routing-test-kit';

const COOLDOWN_MS = 2_000;

/**
 * Issue 6's proof for cooldowns in one gateway (the two-replica proof is apps/cli/test/two-replica-cooldowns):
 * whether a deployment is in rotation is read from the calls its upstream model receives. Failures are
 * counted per wall-clock minute, so the tests that need several failures counted together start well inside
 * one minute.
 */
describe('cooldowns', () => {
  const upstream = new FakeOpenAIUpstream();
  let t: RoutingGateway;
  let client: OpenAI;

  beforeAll(async () => {
    await upstream.start();
    upstream.script('m-cd-bad', SERVER_ERROR);
    upstream.script('m-rl-bad', upstreamError(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded'));
    upstream.script('m-down', SERVER_ERROR);
    const yaml = routingConfig(
      [
        deployment('cd', upstream, 'm-cd-bad'),
        deployment('cd', upstream, 'm-cd-good'),
        deployment('rl', upstream, 'm-rl-bad'),
        deployment('rl', upstream, 'm-rl-good'),
        deployment('down', upstream, 'm-down'),
      ],
      ['num_retries: 1', 'allowed_fails: 2', `cooldown_time: ${COOLDOWN_MS / 1000}`],
    );
    t = await startRoutingGateway('routing_cooldowns', yaml);
    client = t.client();
  });

  afterAll(async () => {
    await t?.close();
    await upstream.stop();
  });

  const calls = (model: string) => upstream.requestsFor(model);

  /** Calls `group` (each call must succeed) until `model` has received `count` requests; fails after `limit` calls. */
  async function callUntil(group: string, model: string, count: number, limit = 80): Promise<void> {
    for (let i = 0; i < limit && calls(model).length < count; i++) await chatOk(client, group);
    expect(calls(model)).toHaveLength(count);
  }

  it('a deployment stays in rotation for allowed_fails (2) failures, is skipped for cooldown_time after the third, then returns', async () => {
    await withinOneMinute(6_000);
    // Each failure on the bad deployment is retried on the good one, so every call succeeds. The bad one is
    // picked again after its first and second failures: it is not cooled down before allowed_fails is exceeded.
    await callUntil('cd', 'm-cd-bad', 3);
    const cooledAt = calls('m-cd-bad')[2].at;

    for (let i = 0; i < 20; i++) {
      const answer = await chatOk(client, 'cd');
      expect(answer.model).toBe('m-cd-good');
      expect(header(answer.headers, 'x-litellm-attempted-retries')).toBe('0');
    }
    expect(Date.now() - cooledAt).toBeLessThan(COOLDOWN_MS); // all 20 fell inside the cooldown
    expect(calls('m-cd-bad')).toHaveLength(3);

    await sleep(cooledAt + COOLDOWN_MS + 100 - Date.now());
    await callUntil('cd', 'm-cd-bad', 4);
    expect(calls('m-cd-bad')[3].at - cooledAt).toBeGreaterThanOrEqual(COOLDOWN_MS);
  });

  it('a 429 cools the deployment down at once (no allowed_fails)', async () => {
    await callUntil('rl', 'm-rl-bad', 1);
    const cooledAt = calls('m-rl-bad')[0].at;
    for (let i = 0; i < 20; i++) expect((await chatOk(client, 'rl')).model).toBe('m-rl-good');
    expect(Date.now() - cooledAt).toBeLessThan(COOLDOWN_MS);
    expect(calls('m-rl-bad')).toHaveLength(1);
  });

  it('a whole group cooling down answers 429 naming the group, with retry-after, without calling the upstream', async () => {
    await withinOneMinute(5_000);
    for (let i = 0; i < 3; i++) {
      const failed = await chatError(client, 'down', { num_retries: 0 });
      expect(failed.error).toBeInstanceOf(OpenAI.InternalServerError);
    }
    expect(calls('m-down')).toHaveLength(3);
    const cooledAt = calls('m-down')[2].at;

    const refused = await chatError(client, 'down', { num_retries: 0 });
    expect(refused.error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.error.code).toBe('no_deployments_available');
    expect(refused.error.message).toContain('model group "down"');
    const retryAfter = Number(refused.error.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(COOLDOWN_MS / 1000);
    expect(calls('m-down')).toHaveLength(3);

    // Once the cooldown is over the deployment is called again (and, still failing, its 500 comes back).
    await sleep(cooledAt + COOLDOWN_MS + 100 - Date.now());
    const again = await chatError(client, 'down', { num_retries: 0 });
    expect(again.error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(calls('m-down')).toHaveLength(4);
  });
});
