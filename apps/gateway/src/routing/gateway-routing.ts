import { Logger } from '@nestjs/common';
import type { RouterConfig } from '@tollgate/config';
import { redisOptions, type KeyValueStore } from '@tollgate/kv';
import type { GatewayEvents } from '@tollgate/observability';
import type { Deployment } from '@tollgate/providers';
import {
  catalogContextWindows,
  createRoutingStrategy,
  DeploymentHealthMonitor,
  failureClassOf,
  healthCheckSettingsOf,
  MemoryCooldowns,
  MemoryRoutingStateStore,
  ModelGroups,
  RedisCooldowns,
  RedisRoutingStateStore,
  Router,
  RoutingState,
  type Cooldowns,
} from '@tollgate/routing';
import type { PricingCatalog } from '@tollgate/spend';
import IORedis from 'ioredis';

/** Everything that routes requests to deployments, built once per process. */
export interface GatewayRouting {
  groups: ModelGroups;
  router: Router;
  cooldowns: Cooldowns;
  deploymentHealth: DeploymentHealthMonitor;
  /** Starts background work (health checks) once the gateway listens. */
  start(): void;
}

export interface GatewayRoutingOptions {
  deployments: Deployment[];
  routerConfig: RouterConfig;
  pricing: PricingCatalog;
  events: GatewayEvents;
  kv: KeyValueStore;
  redisUrl?: string;
  /** Prefix of Redis keys, e.g. "tollgate:". */
  prefix: string;
  cleanups: Array<() => Promise<unknown>>;
}

/**
 * Model groups, the routing strategy and its shared state, cooldowns, the router and deployment health, wired
 * from `router_settings`: shared through Redis between replicas when Redis is configured, else in memory.
 */
export async function createGatewayRouting(options: GatewayRoutingOptions): Promise<GatewayRouting> {
  const { routerConfig: rc, events, cleanups } = options;
  const logger = new Logger('Routing');
  let client: IORedis | undefined;
  if (options.redisUrl) {
    client = new IORedis(options.redisUrl, redisOptions({ connectionName: 'tollgate-routing' }));
    client.on('error', () => undefined); // outages are reported (rate-limited) by the stores' users
    const owned = client;
    cleanups.push(async () => owned.disconnect());
  }
  const cooldownSettings = {
    allowedFails: rc.allowedFails,
    allowedFailsPolicy: rc.allowedFailsPolicy,
    cooldownTimeMs: rc.cooldownTimeSeconds * 1000,
    disableCooldowns: rc.disableCooldowns,
  };
  const cooldowns = client
    ? new RedisCooldowns({ client, kv: options.kv, prefix: options.prefix, settings: cooldownSettings, events })
    : new MemoryCooldowns({ settings: cooldownSettings, events });
  await cooldowns.start();
  cleanups.push(() => cooldowns.stop());
  events.on('deployment_cooldown', (e) =>
    logger.warn(`deployment ${e.deploymentId} of "${e.modelGroup}" (${e.provider}${e.apiBase ? `, ${e.apiBase}` : ''}) cooling down until ${new Date(e.until).toISOString()}: ${e.reason}`),
  );

  const state = new RoutingState({ store: client ? new RedisRoutingStateStore({ client, prefix: options.prefix }) : new MemoryRoutingStateStore() });
  cleanups.push(async () => state.stop());
  const strategy = createRoutingStrategy(rc.routingStrategy, {
    state,
    pricing: options.pricing,
    preCallChecks: rc.optionalPreCallChecks,
    args: { ...rc.routingStrategyArgs.extra, lowest_latency_buffer: rc.routingStrategyArgs.lowestLatencyBuffer, ttl: rc.routingStrategyArgs.ttlSeconds, max_latency_list_size: rc.routingStrategyArgs.maxLatencyListSize },
  });
  const groups = new ModelGroups(options.deployments, rc, { contextWindows: catalogContextWindows(options.pricing) });
  const router = new Router({ groups, strategy, cooldowns, policy: rc, classify: failureClassOf });
  const deploymentHealth = new DeploymentHealthMonitor({
    deployments: () => groups.allDeployments(),
    cooldowns,
    settings: healthCheckSettingsOf(rc),
  });
  cleanups.push(() => deploymentHealth.stop());
  return { groups, router, cooldowns, deploymentHealth, start: () => deploymentHealth.start() };
}
