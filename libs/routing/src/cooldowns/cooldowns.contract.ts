import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayEvents, type GatewayEventMap } from '@tollgate/observability';
import type { Deployment } from '@tollgate/providers';
import { afterEach, describe, expect, it } from 'vitest';
import type { CooldownOptions } from './cooldown-tracker';
import type { Cooldowns } from './cooldowns';

/**
 * Opens cooldowns for a namespace. With a shared store, two opened on the same namespace behave as two
 * gateway replicas on one Redis; with memory, each is its own process.
 */
export interface CooldownsHarness {
  open(namespace: string, options: CooldownOptions): Cooldowns;
  shared: boolean;
}

let namespaces = 0;
let deployments = 0;

export function testDeployment(overrides: Partial<Deployment> = {}): Deployment {
  const n = ++deployments;
  return {
    id: `deployment-${n}`,
    modelName: 'gpt-test',
    provider: 'openai',
    upstreamModel: 'gpt-4o-mini',
    displayApiBase: 'https://upstream.example/v1',
    timeoutMs: 600_000,
    streamTimeoutMs: 600_000,
    params: { model: 'openai/gpt-4o-mini', api_base: 'https://upstream.example/v1', api_key: 'sk-contract-secret-0123456789' },
    ...overrides,
  };
}

/** A clock that real time drives and tests can move forward. */
function movableClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

/** The same rules for every store: LiteLLM's cooldown triggers, durations, events and (when shared) replicas. */
export function describeCooldownsContract(name: string, harness: CooldownsHarness): void {
  describe(`${name} (cooldowns contract)`, () => {
    const opened: Cooldowns[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((c) => c.stop()));
    });

    /** Started replicas of one fresh namespace, sharing a clock and an event bus. */
    async function replicas(count: number, options: Omit<CooldownOptions, 'clock' | 'events'> = {}) {
      const namespace = `ns${++namespaces}`;
      const clock = movableClock();
      const events = new GatewayEvents();
      const seen: Array<GatewayEventMap['deployment_cooldown']> = [];
      events.on('deployment_cooldown', (event) => seen.push(event));
      const list: Cooldowns[] = [];
      for (let i = 0; i < count; i++) {
        const cooldowns = harness.open(namespace, { ...options, clock: clock.now, events });
        await cooldowns.start();
        opened.push(cooldowns);
        list.push(cooldowns);
      }
      return { list, clock, seen, namespace };
    }

    it('a deployment nobody reported is available', async () => {
      const { list: [c] } = await replicas(1);
      expect(c.isCoolingDown('never-seen')).toBe(false);
      expect(c.nextAvailableAt(['never-seen', 'other'])).toBeUndefined();
    });

    it('allows allowed_fails failures per minute (default 3) and cools down on the next, for cooldown_time (default 5 s)', async () => {
      const { list: [c], clock } = await replicas(1);
      const d = testDeployment();
      for (let i = 0; i < 3; i++) expect(await c.recordFailure(d, 'InternalServerError', 500)).toBeUndefined();
      expect(c.isCoolingDown(d.id)).toBe(false);
      const before = clock.now();
      const cooldown = await c.recordFailure(d, 'InternalServerError', 500);
      expect(cooldown).toMatchObject({ deploymentId: d.id });
      expect(cooldown?.reason).toMatch(/4 failures this minute, more than allowed_fails \(3\)/);
      expect(cooldown!.until - before).toBeGreaterThanOrEqual(5_000);
      expect(cooldown!.until - before).toBeLessThan(5_500);
      expect(c.isCoolingDown(d.id)).toBe(true);
      expect(c.nextAvailableAt([d.id, 'other'])).toBe(cooldown!.until);
      clock.advance(5_600);
      expect(c.isCoolingDown(d.id)).toBe(false);
      expect(c.nextAvailableAt([d.id])).toBeUndefined();
    });

    it('counts failures per minute: those of an earlier minute do not add up', async () => {
      const { list: [c], clock } = await replicas(1);
      const d = testDeployment();
      for (let i = 0; i < 3; i++) await c.recordFailure(d, 'TimeoutError', 504);
      clock.advance(60_000);
      for (let i = 0; i < 3; i++) expect(await c.recordFailure(d, 'TimeoutError', 504)).toBeUndefined();
      expect(c.isCoolingDown(d.id)).toBe(false);
    });

    it('cools down at once on a 429, for at least as long as retry-after asks', async () => {
      const { list: [c], clock } = await replicas(1);
      const limited = testDeployment();
      const start = clock.now();
      const cooldown = await c.recordFailure(limited, 'RateLimitError', 429);
      expect(cooldown?.reason).toMatch(/429/);
      expect(cooldown!.until - start).toBeLessThan(5_500);
      const slow = testDeployment();
      const longer = await c.recordFailure(slow, 'RateLimitError', 429, 30_000);
      expect(longer!.until - start).toBeGreaterThanOrEqual(30_000);
      clock.advance(10_000);
      expect(c.isCoolingDown(limited.id)).toBe(false);
      expect(c.isCoolingDown(slow.id)).toBe(true);
    });

    it('cools down at once on non-retryable 401, 404 and 408', async () => {
      const { list: [c] } = await replicas(1);
      for (const [failure, status] of [['AuthenticationError', 401], ['BadRequestError', 404], ['TimeoutError', 408]] as const) {
        const d = testDeployment();
        expect(await c.recordFailure(d, failure, status), String(status)).toBeDefined();
        expect(c.isCoolingDown(d.id)).toBe(true);
      }
    });

    it("never cools down for other 4xx: they are the caller's fault", async () => {
      const { list: [c] } = await replicas(1);
      const d = testDeployment();
      for (let i = 0; i < 10; i++) {
        await c.recordFailure(d, 'BadRequestError', 400);
        await c.recordFailure(d, 'ContentPolicyViolationError', 400);
        await c.recordFailure(d, 'AuthenticationError', 403);
        await c.recordFailure(d, 'BadRequestError', 422);
      }
      expect(c.isCoolingDown(d.id)).toBe(false);
      // Nor do they count towards allowed_fails afterwards.
      for (let i = 0; i < 3; i++) expect(await c.recordFailure(d, 'InternalServerError', 500)).toBeUndefined();
    });

    it('allowed_fails_policy judges a listed class by its own allowance, replacing every other rule', async () => {
      const { list: [c] } = await replicas(1, {
        settings: { allowedFailsPolicy: { RateLimitError: 2, ContentPolicyViolationError: 1, InternalServerError: 10 } },
      });
      const limited = testDeployment();
      expect(await c.recordFailure(limited, 'RateLimitError', 429)).toBeUndefined();
      expect(await c.recordFailure(limited, 'RateLimitError', 429)).toBeUndefined();
      expect((await c.recordFailure(limited, 'RateLimitError', 429))?.reason).toMatch(/3 RateLimitError failures.*allowed_fails_policy allows \(2\)/);
      const refusing = testDeployment();
      expect(await c.recordFailure(refusing, 'ContentPolicyViolationError', 400)).toBeUndefined();
      expect(await c.recordFailure(refusing, 'ContentPolicyViolationError', 400)).toBeDefined();
      const failing = testDeployment();
      for (let i = 0; i < 10; i++) expect(await c.recordFailure(failing, 'InternalServerError', 500)).toBeUndefined();
      expect(await c.recordFailure(failing, 'InternalServerError', 500)).toBeDefined();
      // Classes not listed keep the default rules.
      const timingOut = testDeployment();
      for (let i = 0; i < 3; i++) expect(await c.recordFailure(timingOut, 'TimeoutError', 504)).toBeUndefined();
      expect(await c.recordFailure(timingOut, 'TimeoutError', 504)).toBeDefined();
    });

    it('cools down when more than half of at least 5 requests this minute failed', async () => {
      const { list: [c] } = await replicas(1, { settings: { allowedFails: 100 } });
      const d = testDeployment();
      for (let i = 0; i < 3; i++) c.recordSuccess(d.id);
      for (let i = 0; i < 3; i++) expect(await c.recordFailure(d, 'InternalServerError', 503)).toBeUndefined(); // 3 of 6: half, not more
      const cooldown = await c.recordFailure(d, 'InternalServerError', 503);
      expect(cooldown?.reason).toMatch(/4 of 7 requests failed this minute/);
      const few = testDeployment();
      c.recordSuccess(few.id);
      for (let i = 0; i < 3; i++) expect(await c.recordFailure(few, 'InternalServerError', 500)).toBeUndefined(); // 3 of 4: too few requests
      expect(await c.recordFailure(few, 'InternalServerError', 500)).toBeDefined();
    });

    it("uses a deployment's own cooldown_time over the router's", async () => {
      const { list: [c], clock } = await replicas(1, { settings: { cooldownTimeMs: 60_000 } });
      const d = testDeployment({ params: { model: 'openai/x', cooldown_time: 2 } });
      const start = clock.now();
      const cooldown = await c.recordFailure(d, 'RateLimitError', 429);
      expect(cooldown!.until - start).toBeGreaterThanOrEqual(2_000);
      expect(cooldown!.until - start).toBeLessThan(2_500);
      const other = await c.recordFailure(testDeployment(), 'RateLimitError', 429);
      expect(other!.until - start).toBeGreaterThanOrEqual(60_000);
    });

    it('disable_cooldowns turns every trigger off, health checks included', async () => {
      const { list: [c], seen } = await replicas(1, { settings: { disableCooldowns: true } });
      const d = testDeployment();
      for (let i = 0; i < 10; i++) expect(await c.recordFailure(d, 'RateLimitError', 429)).toBeUndefined();
      expect(await c.coolDown(d, 60_000, 'health check failed')).toBeUndefined();
      expect(c.isCoolingDown(d.id)).toBe(false);
      expect(seen).toEqual([]);
    });

    it('coolDown takes a deployment out for the given time and raises one deployment_cooldown event without credentials', async () => {
      const { list: [c], clock, seen } = await replicas(1);
      const d = testDeployment();
      const start = clock.now();
      const cooldown = await c.coolDown(d, 300_000, 'health check failed: HTTP 500', 500);
      expect(cooldown).toMatchObject({ deploymentId: d.id, reason: 'health check failed: HTTP 500' });
      expect(c.isCoolingDown(d.id)).toBe(true);
      clock.advance(200_000);
      expect(c.isCoolingDown(d.id)).toBe(true);
      // Still cooling down: a further report extends it but is not a new outage.
      await c.coolDown(d, 300_000, 'health check failed again', 500);
      expect(seen).toEqual([
        {
          deploymentId: d.id,
          modelGroup: 'gpt-test',
          provider: 'openai',
          apiBase: 'https://upstream.example/v1',
          reason: 'health check failed: HTTP 500',
          until: cooldown!.until,
          status: 500,
        },
      ]);
      expect(JSON.stringify(seen)).not.toContain('sk-contract-secret');
      clock.advance(150_000);
      expect(c.isCoolingDown(d.id)).toBe(true);
      clock.advance(200_000);
      expect(c.isCoolingDown(d.id)).toBe(false);
    });

    it('raises the event once per cooldown however many failures arrive while it runs', async () => {
      const { list: [c], seen } = await replicas(1);
      const d = testDeployment();
      await Promise.all(Array.from({ length: 20 }, () => c.recordFailure(d, 'RateLimitError', 429)));
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ deploymentId: d.id, status: 429 });
    });

    it('nextAvailableAt names the earliest return among the deployments given', async () => {
      const { list: [c], clock } = await replicas(1);
      const [a, b] = [testDeployment(), testDeployment()];
      const start = clock.now();
      const first = await c.coolDown(a, 20_000, 'test');
      await c.coolDown(b, 10_000, 'test');
      const back = c.nextAvailableAt([a.id, b.id]);
      expect(back! - start).toBeGreaterThanOrEqual(10_000);
      expect(back! - start).toBeLessThan(11_000);
      clock.advance(15_000);
      expect(c.nextAvailableAt([a.id, b.id])).toBe(first!.until);
    });

    if (!harness.shared) return;

    it('a cooldown set on replica A is respected by replica B within 100 ms', async () => {
      const { list: [a, b] } = await replicas(2);
      const d = testDeployment();
      await a.recordFailure(d, 'RateLimitError', 429);
      const started = Date.now();
      while (!b.isCoolingDown(d.id) && Date.now() - started < 1_000) await sleep(2);
      expect(b.isCoolingDown(d.id)).toBe(true);
      expect(Date.now() - started).toBeLessThan(100);
      expect(b.nextAvailableAt([d.id])).toBe(a.nextAvailableAt([d.id]));
    });

    it('counts failures across replicas, and only one replica raises the event', async () => {
      const { list: [a, b], seen } = await replicas(2);
      const d = testDeployment();
      expect(await a.recordFailure(d, 'InternalServerError', 500)).toBeUndefined();
      expect(await b.recordFailure(d, 'InternalServerError', 500)).toBeUndefined();
      expect(await a.recordFailure(d, 'InternalServerError', 500)).toBeUndefined();
      const results = await Promise.all([a.recordFailure(d, 'InternalServerError', 500), b.recordFailure(d, 'InternalServerError', 500)]);
      expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(seen).toHaveLength(1);
      expect(a.isCoolingDown(d.id) && b.isCoolingDown(d.id)).toBe(true);
    });

    it("shares successes, so the failure share is the whole fleet's", async () => {
      const { list: [a, b] } = await replicas(2, { settings: { allowedFails: 100 }, successFlushMs: 20 });
      const d = testDeployment();
      for (let i = 0; i < 4; i++) a.recordSuccess(d.id);
      await sleep(150); // a's flush
      for (let i = 0; i < 4; i++) expect(await b.recordFailure(d, 'InternalServerError', 500)).toBeUndefined(); // 4 of 8
      expect(await b.recordFailure(d, 'InternalServerError', 500)).toBeDefined(); // 5 of 9
    });

    it('a replica that starts later loads the cooldowns already running', async () => {
      const { list: [a], clock, namespace } = await replicas(1);
      const d = testDeployment();
      const cooldown = await a.coolDown(d, 30_000, 'test');
      const late = harness.open(namespace, { clock: clock.now });
      opened.push(late);
      expect(late.isCoolingDown(d.id)).toBe(false);
      await late.start();
      expect(late.isCoolingDown(d.id)).toBe(true);
      expect(late.nextAvailableAt([d.id])).toBe(cooldown!.until);
    });
  });
}
