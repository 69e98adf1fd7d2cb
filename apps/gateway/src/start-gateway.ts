import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Authenticator } from '@tollgate/auth';
import { formatConfigProblem, routerConfigOf, type RuntimeSettings, type TollgateConfig } from '@tollgate/config';
import { applyMigrations, checkDatabase, createPrismaClient, resolveDatabase } from '@tollgate/database';
import { createKeyValueStore, type KeyValueStore } from '@tollgate/kv';
import { closeUpstreamPool, configureUpstreamPool } from '@tollgate/providers';
import { DEFAULT_REDIS_PREFIX, InProcessRequestLogSink, QueuedRequestLogSink, RequestLogWriter, queuePrefix, type RequestLogSink } from '@tollgate/request-log';
import { checkStartupConfig, routingConfigWarnings } from '@tollgate/routing';
import { createGatewayRouting } from './routing/gateway-routing';
import { TollgateLogger } from '@tollgate/observability';
import { GatewayModule } from './gateway.module';
import { GatewayRuntime } from './gateway-runtime';
import { budgetResetSettings, EndUserDirectory, IdentityCache, loadKeyIdentity, startBudgetResetTimer } from '@tollgate/tenancy';
import {
  BudgetGuard,
  MemoryBudgetStore,
  type BudgetAlert,
  type CallLimits,
  MemoryRateLimitStore,
  RateLimiter,
  RedisBudgetStore,
  RedisRateLimitStore,
  LimitSync,
  SyncedBudgetStore,
  SyncedRateLimitStore,
  batchedCharges,
  writeEach,
} from '@tollgate/limits';
import { GatewayEvents } from '@tollgate/observability';
import { redisOptions } from '@tollgate/kv';
import { PricingCatalog } from '@tollgate/spend';
import IORedis from 'ioredis';
import { installCallIdHook } from './http/call-id.hook';

export interface StartGatewayOptions {
  /** Prefix for Redis keys and BullMQ queues (lets several installations or test files share one Redis). */
  redisPrefix?: string;
  logger?: LoggerService | LogLevel[] | false;
  /** How long shutdown waits for requests in flight before closing their connections (default 25 s). */
  shutdownDrainMs?: number;
  /** Leave migrations to the caller, which applied them once for several processes (cluster mode). */
  skipMigrations?: boolean;
}

export interface RunningGateway {
  /** Base URL the gateway listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  port: number;
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/** How long shutdown waits for requests in flight (long streams included) before cutting them. */
const SHUTDOWN_DRAIN_MS = 25_000;
/** How often shutdown closes the keep-alive connections whose request finished since the last pass. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting requests and lets those in flight finish, but not for longer than `ms`: a stream held open
 * by a slow upstream must not keep the process (and its unwritten request logs) past Kubernetes' grace period.
 * Keep-alive connections with no request running are closed at once, and so is each connection whose request
 * ends during the drain: the server only closes once every connection is gone, and a client holding an idle
 * one would otherwise keep the process up for the whole drain period.
 */
async function closeWithin(app: NestFastifyApplication, ms: number, logger: Logger): Promise<void> {
  const server = app.getHttpServer();
  let timer: NodeJS.Timeout | undefined;
  const closing = app.close();
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  try {
    const expired = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), ms);
      }),
    ]);
    if (!expired) return;
    logger.warn(`requests still running after ${ms} ms of shutdown; closing their connections`);
    server.closeAllConnections();
    await closing;
  } finally {
    clearTimeout(timer);
    clearInterval(sweep);
  }
}

/**
 * Rate limits and live spend, one of each per process: counters in Redis (shared by replicas) when configured,
 * else in memory. With TOLLGATE_LIMITS_SYNC_MS, the Redis counters are held in the process and exchanged
 * with Redis at that interval instead of on every request. Budget crossings are raised as `budget_alert` events.
 */
function createAdmissionStores(
  runtime: Pick<RuntimeSettings, 'redisUrl' | 'rateLimitWindowMs' | 'limitsSyncMs'>,
  prefix: string,
  events: GatewayEvents,
  cleanups: Array<() => Promise<unknown>>,
): CallLimits {
  const { redisUrl, rateLimitWindowMs: windowMs, limitsSyncMs } = runtime;
  const onAlert = (alert: BudgetAlert) => events.emit('budget_alert', alert);
  if (!redisUrl) {
    return {
      limiter: new RateLimiter({ store: new MemoryRateLimitStore(), windowMs }),
      budgets: new BudgetGuard({ store: new MemoryBudgetStore(), onAlert }),
      chargesTogether: writeEach,
    };
  }
  const client = new IORedis(redisUrl, redisOptions({ connectionName: 'tollgate-limits' }));
  client.on('error', () => undefined); // outages surface as failed admissions, logged by the request path
  cleanups.push(async () => client.disconnect());
  if (limitsSyncMs !== undefined) {
    const sync = new LimitSync({ intervalMs: limitsSyncMs });
    // Runs before the disconnect above (cleanups run in reverse): the last changes reach Redis.
    cleanups.push(() => sync.close());
    return {
      limiter: new RateLimiter({ store: new SyncedRateLimitStore({ client, prefix, sync }), windowMs }),
      budgets: new BudgetGuard({ store: new SyncedBudgetStore({ client, prefix, sync }), onAlert }),
      chargesTogether: writeEach,
    };
  }
  return {
    limiter: new RateLimiter({ store: new RedisRateLimitStore({ client, prefix }), windowMs }),
    budgets: new BudgetGuard({ store: new RedisBudgetStore({ client, prefix }), onAlert }),
    chargesTogether: batchedCharges(client),
  };
}

/** `model_info.access_groups` of every deployment, as group name -> model group names. */
function accessGroupsOf(config: TollgateConfig): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const entry of config.model_list) {
    const names = entry.model_info.access_groups;
    if (!Array.isArray(names)) continue;
    for (const name of names) {
      if (typeof name !== 'string') continue;
      const models = groups.get(name) ?? [];
      if (!models.includes(entry.model_name)) models.push(entry.model_name);
      groups.set(name, models);
    }
  }
  return groups;
}

/**
 * Starts the HTTP gateway: checks the config, prepares the database (embedded when no URL is set) and its
 * migrations, wires the request-log pipeline (Redis queue, or in-process when there is no Redis) and listens.
 */
export async function startGateway(config: TollgateConfig, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const logger = new Logger('Tollgate');
  const deployments = checkStartupConfig(config);
  const routerConfig = routerConfigOf(config);
  const { runtime } = config;
  if (!runtime.masterKey) logger.warn('No master key configured: every caller on this machine is admitted. Set LITELLM_MASTER_KEY before exposing the gateway.');

  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((err: Error) => logger.error(`shutdown step failed: ${err.message}`));
    cleanups.length = 0;
  };
  try {
    const database = await resolveDatabase(runtime);
    cleanups.push(() => database.close());
    if (!options.skipMigrations) await applyMigrations(database.url, { log: (line) => logger.log(line) });
    const prisma = createPrismaClient(database.url, database.poolSize);
    cleanups.push(() => prisma.$disconnect());

    const prefix = options.redisPrefix ?? DEFAULT_REDIS_PREFIX;
    const kv: KeyValueStore = createKeyValueStore({ redisUrl: runtime.redisUrl, prefix: `${prefix}:` });
    cleanups.push(() => kv.close());

    // The queue needs a worker, and a worker needs an external database: with the embedded database (owned by
    // this process) the gateway writes its own logs even when Redis is configured.
    const queued = runtime.redisUrl !== undefined && runtime.databaseUrl !== undefined;
    const requestLog: RequestLogSink = queued
      ? new QueuedRequestLogSink({ redisUrl: runtime.redisUrl as string, prefix: queuePrefix(prefix) })
      : new InProcessRequestLogSink(new RequestLogWriter(prisma));
    cleanups.push(() => requestLog.close());
    // Without a worker (no queue), this process renews budget periods itself.
    const budgetReset = budgetResetSettings(config.general_settings);
    if (!queued && budgetReset.enabled) {
      const budgetResetTimer = startBudgetResetTimer(prisma, kv, budgetReset.intervalMs);
      cleanups.push(() => budgetResetTimer.stop());
    }

    const identities = new IdentityCache((keyHash) => loadKeyIdentity(prisma, keyHash), kv);
    await identities.start();
    cleanups.push(() => identities.stop());
    const events = new GatewayEvents();
    // Until alerting delivers them elsewhere, crossings reach operators through the log (rare: once per period).
    events.on('budget_alert', (alert) =>
      logger.warn(`budget alert: ${alert.scope} ${alert.subject} reached its ${alert.threshold} of ${alert.budget} USD (spend ${alert.spend} USD)`),
    );
    const limits = createAdmissionStores(runtime, `${prefix}:`, events, cleanups);
    const endUsers = new EndUserDirectory(prisma, {
      maxBudget: typeof config.litellm_settings.max_end_user_budget === 'number' ? config.litellm_settings.max_end_user_budget : undefined,
      budgetId: typeof config.litellm_settings.max_end_user_budget_id === 'string' ? config.litellm_settings.max_end_user_budget_id : undefined,
    });
    await endUsers.start(kv);
    cleanups.push(() => endUsers.stop());
    const pricing = new PricingCatalog();
    const routing = await createGatewayRouting({ deployments, routerConfig, pricing, events, kv, redisUrl: runtime.redisUrl, prefix: `${prefix}:`, cleanups });
    for (const warning of routingConfigWarnings(routing.groups, routerConfig)) logger.warn(formatConfigProblem(config.sourceFile, warning.path, warning.message));
    const authenticator = new Authenticator(runtime.masterKey, (keyHash) => identities.resolve(keyHash));
    const gatewayRuntime = new GatewayRuntime(config, routing.groups, authenticator, requestLog, {
      database: async () => {
        const health = await checkDatabase(prisma);
        if (!health.ok) throw new Error(health.error ?? 'database unavailable');
      },
      redis: runtime.redisUrl ? () => kv.ping() : undefined,
    }, prisma, identities, accessGroupsOf(config), endUsers, limits, pricing, events, routing.router, routing.cooldowns, routing.deploymentHealth);
    // trustProxy stays off: behind an untrusted hop, X-Forwarded-For would let callers choose their own IP.
    const adapter = new FastifyAdapter({ bodyLimit: runtime.maxRequestBytes, return503OnClosing: true });
    const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(gatewayRuntime), adapter, {
      logger: options.logger ?? new TollgateLogger(),
      abortOnError: false,
      // Fastify's own JSON parser, built once. Nest's wrapper builds a new one per request and parses from a Buffer
      // (about 5 µs per request against 0.6 µs); it would also accept form bodies, which no Tollgate route takes.
      bodyParser: false,
    });
    installCallIdHook(app.getHttpAdapter().getInstance());
    configureUpstreamPool(runtime.upstreamPool ?? {});
    cleanups.push(() => closeUpstreamPool());
    cleanups.push(() => closeWithin(app, options.shutdownDrainMs ?? SHUTDOWN_DRAIN_MS, logger));
    await app.listen(runtime.port, runtime.host);
    routing.start();
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : runtime.port;
    const host = runtime.host === '0.0.0.0' || runtime.host === '::' ? '127.0.0.1' : runtime.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.log(
      `Gateway listening on ${url} with ${routing.groups.visibleModelNames().length} model(s); database ${runtime.databaseUrl ? 'postgresql' : 'embedded'}, ` +
        `shared state ${runtime.redisUrl ? 'redis' : 'in memory'}.`,
    );
    if (queued) logger.log('Request logs are queued in Redis; run `tollgate worker` (or start with --with-worker) to write them to the database.');
    return { url, port, app, close: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
