import { setTimeout as sleep } from 'node:timers/promises';
import type { Deployment } from '@tollgate/providers';
import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentHealthMonitor } from './deployment-health-monitor';
import { routerConfigOf, type TollgateConfig } from '@tollgate/config';
import { healthCheckSettingsOf } from './health-check-settings';

function configWith(general: Record<string, unknown>): TollgateConfig {
  return { model_list: [], general_settings: general, router_settings: {}, litellm_settings: {} } as unknown as TollgateConfig;
}
import { deploymentOf, scriptedProvider } from './scripted-provider.testing';

const monitors: DeploymentHealthMonitor[] = [];
afterEach(async () => {
  await Promise.all(monitors.splice(0).map((m) => m.stop()));
});

function monitorOf(deployments: Deployment[], scripts: Parameters<typeof scriptedProvider>[1], options: Partial<ConstructorParameters<typeof DeploymentHealthMonitor>[0]> = {}) {
  const upstream = scriptedProvider('up', scripts, { embeddings: true });
  const coolDowns: Array<{ id: string; ms: number; reason: string; status?: number }> = [];
  const monitor = new DeploymentHealthMonitor({
    deployments: () => deployments,
    providers: () => upstream.provider,
    cooldowns: {
      coolDown: async (deployment, ms, reason, status) => {
        coolDowns.push({ id: deployment.id, ms, reason, status });
        return { deploymentId: deployment.id, until: Date.now() + ms, reason };
      },
    },
    ...options,
  });
  monitors.push(monitor);
  return { monitor, upstream, coolDowns };
}

describe('DeploymentHealthMonitor on demand', () => {
  it("answers LiteLLM's shape: healthy and unhealthy endpoints with counts, no credentials", async () => {
    const good = deploymentOf('up/good', { modelName: 'chat' });
    const bad = deploymentOf('up/bad', { modelName: 'chat' });
    const embed = deploymentOf('up/embed', { modelName: 'embeddings', modelInfo: { mode: 'embedding' } });
    const { monitor, coolDowns } = monitorOf([good, bad, embed], { bad: { status: 500, message: 'boom for sk-health-secret-0123456789' } });
    const report = await monitor.report();
    expect(report).toEqual({
      healthy_endpoints: [
        { model: 'up/good', model_name: 'chat', model_id: good.id, provider: 'up', api_base: 'https://upstream.example/v1', mode: 'chat' },
        { model: 'up/embed', model_name: 'embeddings', model_id: embed.id, provider: 'up', api_base: 'https://upstream.example/v1', mode: 'embedding' },
      ],
      unhealthy_endpoints: [
        { model: 'up/bad', model_name: 'chat', model_id: bad.id, provider: 'up', api_base: 'https://upstream.example/v1', mode: 'chat', error: 'boom for [redacted]' },
      ],
      healthy_count: 2,
      unhealthy_count: 1,
    });
    expect(JSON.stringify(report)).not.toContain('sk-health-secret');
    // On-demand checks report; only background checks cool deployments down.
    expect(coolDowns).toEqual([]);
  });

  it('checks each deployment id once and skips deployments that cannot be called', async () => {
    const d = deploymentOf('up/m');
    const { monitor, upstream } = monitorOf([d, { ...d }, deploymentOf('up/*'), deploymentOf('up/img', { modelInfo: { mode: 'image_generation' } })], {});
    const report = await monitor.report();
    expect(report.healthy_count + report.unhealthy_count).toBe(1);
    expect(upstream.calls).toHaveLength(1);
  });

  it('narrows to a model group, a litellm model or a deployment id', async () => {
    const a = deploymentOf('up/a', { modelName: 'alpha' });
    const b = deploymentOf('up/b', { modelName: 'beta' });
    const { monitor } = monitorOf([a, b], {});
    expect((await monitor.report({ model: 'beta' })).healthy_endpoints.map((e) => e.model_id)).toEqual([b.id]);
    expect((await monitor.report({ model: 'up/a' })).healthy_endpoints.map((e) => e.model_id)).toEqual([a.id]);
    expect((await monitor.report({ modelId: a.id })).healthy_endpoints.map((e) => e.model_id)).toEqual([a.id]);
    expect(await monitor.report({ model: 'nope' })).toEqual({ healthy_endpoints: [], unhealthy_endpoints: [], healthy_count: 0, unhealthy_count: 0 });
  });

  it('lets concurrent requests share one run, and checks at most `concurrency` deployments at once', async () => {
    const deployments = Array.from({ length: 7 }, (_, i) => deploymentOf(`up/m${i}`));
    const { monitor, upstream } = monitorOf(deployments, {}, { settings: { concurrency: 3 } });
    const [first, second] = await Promise.all([monitor.report(), monitor.report()]);
    expect(first).toEqual(second);
    expect(upstream.calls).toHaveLength(7);
    expect(upstream.flight.peak).toBe(3);
  });
});

describe('DeploymentHealthMonitor in the background', () => {
  it('checks at start and every interval, cooling failing deployments down until the next run', async () => {
    const good = deploymentOf('up/good');
    const bad = deploymentOf('up/bad');
    const { monitor, upstream, coolDowns } = monitorOf([good, bad], { bad: { status: 503, message: 'overloaded' } }, { settings: { backgroundHealthChecks: true, intervalMs: 150 } });
    monitor.start();
    monitor.start(); // idempotent
    const report = await monitor.report();
    expect(report.unhealthy_endpoints.map((e) => [e.model_id, e.error])).toEqual([[bad.id, 'overloaded']]);
    expect(coolDowns[0]).toEqual({ id: bad.id, ms: 150, reason: 'health check failed: overloaded', status: 503 });
    // GET /health answers from the last run without calling anyone.
    const calls = upstream.calls.length;
    await monitor.report();
    expect(upstream.calls.length).toBe(calls);
    await sleep(400);
    const runs = upstream.calls.filter((c) => c.deployment.id === good.id).length;
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(4);
    expect(coolDowns.length).toBe(runs);
    expect(coolDowns.every((c) => c.id === bad.id)).toBe(true);
  });

  it('never starts a run while the previous one is still going', async () => {
    const { monitor, upstream } = monitorOf([deploymentOf('up/slow')], { slow: { delayMs: 100 } }, { settings: { backgroundHealthChecks: true, intervalMs: 10 } });
    monitor.start();
    await sleep(350);
    expect(upstream.flight.peak).toBe(1);
    expect(upstream.calls.length).toBeGreaterThanOrEqual(2);
    expect(upstream.calls.length).toBeLessThanOrEqual(4);
  });

  it('stop cancels the checks in flight and schedules no further run', async () => {
    const { monitor, upstream } = monitorOf([deploymentOf('up/slow')], { slow: 'hang' }, { settings: { backgroundHealthChecks: true, intervalMs: 20, timeoutMs: 60_000 } });
    monitor.start();
    await sleep(50);
    expect(upstream.flight.now).toBe(1);
    const started = Date.now();
    await monitor.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(upstream.flight.now).toBe(0);
    await sleep(100);
    expect(upstream.calls).toHaveLength(1);
  });

  it('does nothing at start when background checks are off', async () => {
    const { monitor, upstream } = monitorOf([deploymentOf('up/m')], {});
    monitor.start();
    await sleep(50);
    expect(upstream.calls).toHaveLength(0);
  });
});

describe('healthCheckSettingsOf', () => {
  it('takes background_health_checks and health_check_interval (seconds) from the validated router config', () => {
    expect(healthCheckSettingsOf(routerConfigOf(configWith({})))).toEqual({ backgroundHealthChecks: false, intervalMs: 300_000, timeoutMs: 60_000, concurrency: 10 });
    expect(healthCheckSettingsOf(routerConfigOf(configWith({ background_health_checks: true, health_check_interval: 30 })))).toMatchObject({
      backgroundHealthChecks: true,
      intervalMs: 30_000,
    });
  });
});
