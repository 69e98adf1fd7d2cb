import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { TerminusModule } from '@nestjs/terminus';
import { Authenticator } from '@tollgate/auth';
import { loadConfig, routerConfigOf } from '@tollgate/config';
import { RedisKeyValueStore } from '@tollgate/kv';
import { GatewayEvents, type GatewayEventMap } from '@tollgate/observability';
import { DeploymentHealthMonitor, healthCheckSettingsOf, RedisCooldowns, resolveDeployments } from '@tollgate/routing';
import { testRedisUrl, uniquePrefix } from '@tollgate/testing';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyGuard } from '../../src/auth/api-key.guard';
import { OpenAIExceptionFilter } from '../../src/errors/openai-exception.filter';
import { GatewayRuntime } from '../../src/gateway-runtime';
import { DependencyHealthIndicator } from '../../src/health/dependency-health.indicator';
import { HealthController } from '../../src/health/health.controller';
import { ManagementGuard } from '../../src/management/management.guard';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { MASTER_KEY } from '../support/test-gateway';
import { UPSTREAM_API_KEY } from '../support/upstream-config';

const INTERVAL_S = 60;

/**
 * Background health checks as the gateway wires them: the monitor runs at start, GET /health answers from the
 * last run, and the failing deployment is cooled down in Redis, so a second replica skips it too.
 */
describe('GET /health with background_health_checks', () => {
  const prefix = uniquePrefix('background-health');
  let upstream: FakeOpenAIUpstream;
  let dir: string;
  let app: NestFastifyApplication;
  let url: string;
  let monitor: DeploymentHealthMonitor;
  const closers: Array<() => Promise<unknown>> = [];
  const replicas: RedisCooldowns[] = [];
  const cooldownEvents: Array<GatewayEventMap['deployment_cooldown']> = [];
  let deployments: ReturnType<typeof resolveDeployments>['deployments'];

  function replica(events?: GatewayEvents): RedisCooldowns {
    const client = new Redis(testRedisUrl());
    const kv = new RedisKeyValueStore({ url: testRedisUrl(), prefix });
    closers.push(() => kv.close(), () => client.quit());
    const cooldowns = new RedisCooldowns({ client, kv, prefix, events });
    replicas.push(cooldowns);
    return cooldowns;
  }

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    upstream.script('gpt-broken', { kind: 'error', status: 500, body: { error: { message: 'The server had an error.', type: 'server_error', param: null, code: null } } });
    dir = mkdtempSync(join(tmpdir(), 'tollgate-health-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      `model_list:
  - model_name: chat
    litellm_params:
      model: openai/gpt-ok
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
  - model_name: chat
    litellm_params:
      model: openai/gpt-broken
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
  background_health_checks: true
  health_check_interval: ${INTERVAL_S}
`,
    );
    const config = loadConfig(file, { env: { UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY, TOLLGATE_DATA_DIR: join(dir, 'data') } });
    deployments = resolveDeployments(config).deployments;

    const events = new GatewayEvents();
    events.on('deployment_cooldown', (event) => cooldownEvents.push(event));
    const [a, b] = [replica(events), replica()];
    await Promise.all([a.start(), b.start()]);
    monitor = new DeploymentHealthMonitor({ deployments: () => deployments, cooldowns: a, settings: healthCheckSettingsOf(routerConfigOf(config)) });

    const runtime = {
      config,
      authenticator: new Authenticator(MASTER_KEY),
      readiness: { database: async () => undefined },
      deploymentHealth: monitor,
    } as unknown as GatewayRuntime;
    @Module({
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: GatewayRuntime, useValue: runtime },
        { provide: APP_FILTER, useClass: OpenAIExceptionFilter },
        ApiKeyGuard,
        ManagementGuard,
        DependencyHealthIndicator,
      ],
    })
    class HealthTestModule {}
    app = await NestFactory.create<NestFastifyApplication>(HealthTestModule, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    monitor.start();
  });

  afterAll(async () => {
    await monitor?.stop();
    await app?.close();
    await Promise.all(replicas.map((r) => r.stop()));
    const admin = new Redis(testRedisUrl());
    const leftovers = await admin.keys(`${prefix}*`);
    if (leftovers.length > 0) await admin.del(...leftovers);
    await admin.quit();
    for (const close of closers) await close().catch(() => undefined);
    await upstream?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const health = async () => {
    const response = await fetch(`${url}/health`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
    return { status: response.status, body: (await response.json()) as { healthy_endpoints: Array<{ model_id: string }>; unhealthy_endpoints: Array<{ model_id: string; error: string }>; healthy_count: number; unhealthy_count: number } };
  };

  it('answers from the last background run without calling the upstreams again', async () => {
    const first = await health();
    expect(first.status).toBe(200);
    const [ok, broken] = deployments;
    expect(first.body.healthy_endpoints.map((e) => e.model_id)).toEqual([ok.id]);
    expect(first.body.unhealthy_endpoints).toMatchObject([{ model_id: broken.id, error: 'The server had an error.' }]);
    const calls = upstream.received.length;
    expect(calls).toBe(2);
    const again = await health();
    expect(again.body).toEqual(first.body);
    expect(upstream.received.length).toBe(calls);
  });

  it('cools the failing deployment down until the next run, on every replica, with one deployment_cooldown event', async () => {
    const [ok, broken] = deployments;
    const [a, b] = replicas;
    const deadline = Date.now() + 1_000;
    while (!b.isCoolingDown(broken.id) && Date.now() < deadline) await sleep(5);
    expect(a.isCoolingDown(broken.id)).toBe(true);
    expect(b.isCoolingDown(broken.id)).toBe(true);
    expect(a.isCoolingDown(ok.id) || b.isCoolingDown(ok.id)).toBe(false);
    const back = b.nextAvailableAt([broken.id])! - Date.now();
    expect(back).toBeGreaterThan((INTERVAL_S - 5) * 1000);
    expect(back).toBeLessThanOrEqual(INTERVAL_S * 1000);
    expect(cooldownEvents).toEqual([
      {
        deploymentId: broken.id,
        modelGroup: 'chat',
        provider: 'openai',
        apiBase: `${upstream.url}/v1`,
        reason: 'health check failed: The server had an error.',
        until: expect.any(Number),
        status: 500,
      },
    ]);
    expect(JSON.stringify(cooldownEvents)).not.toContain(UPSTREAM_API_KEY);
  });
});
