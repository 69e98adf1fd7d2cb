import { GatewayError } from '@tollgate/common';
import type { Deployment } from '@tollgate/providers';
import { describe, expect, it } from 'vitest';
import { failureClassOf, MemoryCooldowns } from '../cooldowns';
import { SimpleShuffle } from '../strategies';
import { Router, type RouterDeps } from './router';
import type { RouterPolicy } from './router.types';
import { ModelGroups } from '../groups';

function deployment(id: string, group: string, params: Record<string, unknown> = {}): Deployment {
  return { id, modelName: group, provider: 'openai', upstreamModel: id, timeoutMs: 1_000, streamTimeoutMs: 1_000, params: { model: `openai/${id}`, ...params } };
}

const POLICY: RouterPolicy = {
  numRetries: 2,
  retryPolicy: {},
  modelGroupRetryPolicy: {},
  retryAfterSeconds: 0,
  fallbacks: {},
  contextWindowFallbacks: {},
  contentPolicyFallbacks: {},
  defaultFallbacks: [],
  maxFallbacks: 5,
};
const GROUP_SETTINGS = { modelGroupAlias: {}, enableTagFiltering: false, tagFilteringMatchAny: true, enablePreCallChecks: false };

const error = (status: number, code?: string, headers?: Record<string, string>) =>
  new GatewayError(status, status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error', `failed ${status}`, { code, headers });

function world(groups: Record<string, Deployment[]>, policy: Partial<RouterPolicy> = {}, cooldownSettings = {}, timerEarlyMs = 0) {
  const clock = { t: 1_000_000 };
  const waits: number[] = [];
  const resolver = new ModelGroups(Object.values(groups).flat(), GROUP_SETTINGS);
  const cooldowns = new MemoryCooldowns({ settings: cooldownSettings, clock: () => clock.t });
  let seed = 1;
  const deps: RouterDeps = {
    groups: resolver,
    strategy: new SimpleShuffle(() => ((seed = (seed * 16807) % 2147483647) / 2147483647)),
    cooldowns,
    policy: { ...POLICY, ...policy },
    classify: failureClassOf,
    now: () => clock.t,
    sleep: async (ms) => {
      waits.push(ms);
      // A real timer counts from the event loop's cached time, so it can end before now() reaches the target.
      clock.t += Math.max(1, ms - timerEarlyMs);
    },
  };
  return { router: new Router(deps), clock, waits, cooldowns };
}

/** An attempt function answering per deployment from a script of outcomes (an error to throw, or a value). */
function scripted(script: Record<string, Array<GatewayError | string>>) {
  const calls: string[] = [];
  const attempt = async ({ deployment }: { deployment: Deployment }) => {
    calls.push(deployment.id);
    const next = script[deployment.id]?.shift() ?? 'ok';
    if (next instanceof GatewayError) throw next;
    return `${next} from ${deployment.id}`;
  };
  return { attempt, calls };
}

const request = (model: string, extra: Record<string, unknown> = {}) => ({ model, inputTokens: 10, stream: false, signal: new AbortController().signal, ...extra });

describe('Router', () => {
  it('retries a failed call on another deployment of the group at once, and reports the retry', async () => {
    const { router, waits } = world({ g: [deployment('a', 'g'), deployment('b', 'g')] });
    const { attempt, calls } = scripted({ a: [error(500)], b: [error(500)] });
    const routed = await router.run(request('g'), attempt);
    // The first retry goes to the deployment that has not failed yet; the second to either.
    expect(calls).toHaveLength(3);
    expect(new Set(calls.slice(0, 2))).toEqual(new Set(['a', 'b']));
    expect(routed.value).toBe(`ok from ${calls[2]}`);
    expect(routed.attemptedRetries).toBe(2);
    expect(waits).toEqual([]);
  });

  it('stops after num_retries and answers the last error', async () => {
    const { router } = world({ g: [deployment('a', 'g')] }, { numRetries: 2 }, { allowedFails: 100 });
    const { attempt, calls } = scripted({ a: [error(503), error(503), error(503), 'late'] });
    await expect(router.run(request('g'), attempt)).rejects.toMatchObject({ status: 503 });
    expect(calls).toEqual(['a', 'a', 'a']);
  });

  it('honours retry_policy per failure class and a per-request num_retries', async () => {
    const { router } = world({ g: [deployment('a', 'g')] }, { numRetries: 5, retryPolicy: { InternalServerError: 1 } }, { allowedFails: 100 });
    const first = scripted({ a: [error(500), error(500), 'never'] });
    await expect(router.run(request('g'), first.attempt)).rejects.toMatchObject({ status: 500 });
    expect(first.calls).toHaveLength(2);
    const { router: other } = world({ g: [deployment('a', 'g')] }, { numRetries: 5 }, { allowedFails: 100 });
    const second = scripted({ a: [error(502), error(502)] });
    await expect(other.run(request('g', { numRetries: 0 }), second.attempt)).rejects.toMatchObject({ status: 502 });
    expect(second.calls).toHaveLength(1);
  });

  it('waits for retry-after before retrying a rate-limited only deployment when cooldowns are off', async () => {
    const { router, waits } = world({ g: [deployment('a', 'g')] }, {}, { disableCooldowns: true });
    const { attempt, calls } = scripted({ a: [error(429, undefined, { 'retry-after': '3' })] });
    const routed = await router.run(request('g'), attempt);
    expect(calls).toEqual(['a', 'a']);
    expect(waits).toEqual([3_000]);
    expect(routed.attemptedRetries).toBe(1);
  });

  it('does not retry a plain bad request and does not fall back from it', async () => {
    const { router } = world({ g: [deployment('a', 'g'), deployment('b', 'g')], h: [deployment('c', 'h')] }, { fallbacks: { g: ['h'] } });
    const { attempt, calls } = scripted({ a: [error(400)], b: [error(400)] });
    await expect(router.run(request('g'), attempt)).rejects.toMatchObject({ status: 400 });
    expect(calls).toHaveLength(1);
  });

  it('falls back to the configured groups in order after the group gives up, and reports it', async () => {
    const { router } = world({ g: [deployment('a', 'g')], h: [deployment('b', 'h')], k: [deployment('c', 'k')] }, { numRetries: 0, fallbacks: { g: ['h', 'k'] } });
    const { attempt, calls } = scripted({ a: [error(500)], b: [error(500)] });
    const routed = await router.run(request('g'), attempt);
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(routed).toMatchObject({ group: 'k', attemptedFallbacks: 2, attemptedRetries: 0 });
  });

  it('uses context_window_fallbacks for context overflows and content_policy_fallbacks for refusals, default_fallbacks otherwise, within max_fallbacks', async () => {
    const groups = { g: [deployment('a', 'g')], big: [deployment('b', 'big')], safe: [deployment('c', 'safe')], any: [deployment('d', 'any')] };
    const policy = { numRetries: 0, contextWindowFallbacks: { g: ['big'] }, contentPolicyFallbacks: { g: ['safe'] }, defaultFallbacks: ['any'] };
    const cw = scripted({ a: [error(400, 'context_length_exceeded')] });
    expect((await world(groups, policy).router.run(request('g'), cw.attempt)).group).toBe('big');
    const cp = scripted({ a: [error(400, 'content_policy_violation')] });
    expect((await world(groups, policy).router.run(request('g'), cp.attempt)).group).toBe('safe');
    const other = scripted({ a: [error(500)] });
    expect((await world(groups, policy).router.run(request('g'), other.attempt)).group).toBe('any');
    const capped = scripted({ a: [error(500)] });
    await expect(world(groups, { ...policy, maxFallbacks: 0 }).router.run(request('g'), capped.attempt)).rejects.toMatchObject({ status: 500 });
  });

  it('per-request fallbacks replace the configured ones', async () => {
    const { router } = world({ g: [deployment('a', 'g')], h: [deployment('b', 'h')], k: [deployment('c', 'k')] }, { numRetries: 0, fallbacks: { g: ['h'] } });
    const { attempt, calls } = scripted({ a: [error(500)] });
    expect((await router.run(request('g', { fallbacks: ['k'] }), attempt)).group).toBe('k');
    expect(calls).toEqual(['a', 'c']);
  });

  it("waits out a cooling deployment's cooldown by the router's clock, even when the timer ends a little early", async () => {
    const { router, waits, clock } = world({ g: [deployment('a', 'g')] }, { numRetries: 1 }, {}, 3);
    const { attempt, calls } = scripted({ a: [error(429)] });
    const started = clock.t;
    const routed = await router.run(request('g'), attempt);
    expect(calls).toEqual(['a', 'a']);
    expect(routed.attemptedRetries).toBe(1);
    // The first sleep ended 3 ms short of the cooldown; the router slept the rest instead of giving up.
    expect(waits.length).toBeGreaterThan(1);
    expect(clock.t - started).toBeGreaterThanOrEqual(waits[0]);
  });

  it('a 429 cools the deployment down at once: later requests skip it, and a fully cooling group answers 429 naming it', async () => {
    const { router, clock } = world({ g: [deployment('a', 'g'), deployment('b', 'g')] }, { numRetries: 0 });
    const first = scripted({ a: [error(429)], b: [error(429)] });
    await expect(router.run(request('g'), first.attempt)).rejects.toMatchObject({ status: 429 });
    const second = scripted({});
    const routed = await router.run(request('g'), second.attempt);
    expect(second.calls).toEqual([first.calls[0] === 'a' ? 'b' : 'a']);
    routed.finish({ ok: true });
    const third = scripted({ [second.calls[0]]: [error(429)] });
    await expect(router.run(request('g'), third.attempt)).rejects.toMatchObject({ status: 429 });
    const none = await router.run(request('g'), scripted({}).attempt).catch((e: GatewayError) => e);
    expect(none).toBeInstanceOf(GatewayError);
    expect((none as GatewayError).message).toMatch(/^No deployments available for model group "g": all 2 deployment\(s\) are cooling down/);
    expect((none as GatewayError).options).toMatchObject({ code: 'no_deployments_available', headers: { 'retry-after': expect.any(String) } });
    clock.t += 60_000;
    await expect(router.run(request('g'), scripted({}).attempt)).resolves.toBeDefined();
  });

  it('uses the lowest `order` first and a higher order only when the lower ones failed or cool down', async () => {
    const { router } = world({ g: [deployment('backup', 'g', { order: 2 }), deployment('primary', 'g', { order: 1 })] }, { numRetries: 1 });
    const normal = scripted({});
    for (let i = 0; i < 5; i++) await router.run(request('g'), normal.attempt);
    expect(new Set(normal.calls)).toEqual(new Set(['primary']));
    const failing = scripted({ primary: [error(500)] });
    expect((await router.run(request('g'), failing.attempt)).deployment.id).toBe('backup');
    expect(failing.calls).toEqual(['primary', 'backup']);
  });

  it('stops at once when the caller has gone', async () => {
    const controller = new AbortController();
    const { router } = world({ g: [deployment('a', 'g'), deployment('b', 'g')] });
    const calls: string[] = [];
    const attempt = async ({ deployment: d }: { deployment: Deployment }) => {
      calls.push(d.id);
      controller.abort();
      throw error(502);
    };
    await expect(router.run(request('g', { signal: controller.signal }), attempt)).rejects.toMatchObject({ status: 502 });
    expect(calls).toHaveLength(1);
  });

  it("applies a request's timeout to the deployment it calls", async () => {
    const { router } = world({ g: [deployment('a', 'g')] });
    const seen: Deployment[] = [];
    await router.run(request('g', { timeoutMs: 250 }), async ({ deployment: d }) => seen.push(d));
    expect(seen[0]).toMatchObject({ id: 'a', timeoutMs: 250, streamTimeoutMs: 250 });
  });

  it('answers 400 for an unknown model', async () => {
    const { router } = world({});
    await expect(router.run(request('nope'), scripted({}).attempt)).rejects.toMatchObject({ status: 400, options: { code: 'model_not_found' } });
  });
});
