import * as path from 'node:path';
import { ConfigOverrides, GeneralSettings, RouterSettings, RuntimeSettings, UpstreamPoolSettings } from './config.types';
import { ConfigReport } from './config-report';
import { describeFound } from './describe-value';
import { isRedisUrl, UPSTREAM_CONNECTIONS_EXPECTED } from './validate-settings';

export const DEFAULT_PORT = 4000;
/** LiteLLM listens on all interfaces by default; Tollgate does the same so it can replace it in place. */
export const DEFAULT_HOST = '0.0.0.0';
export const DEFAULT_DATA_DIR = './.tollgate';
export const DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024;
const DEFAULT_REDIS_PORT = 6379;
const BYTES_PER_MB = 1024 * 1024;

const ENV_SOURCE = 'environment';
const FLAG_SOURCE = 'command line';

export interface RuntimeInputs {
  general: GeneralSettings;
  router: RouterSettings;
  env: NodeJS.ProcessEnv;
  overrides: ConfigOverrides;
  report: ConfigReport;
  cwd?: string;
}

/**
 * Settings the process itself runs with. Precedence: command-line flags, then environment variables,
 * then the file, then defaults. Variable names follow LiteLLM where it has one (LITELLM_MASTER_KEY,
 * DATABASE_URL, REDIS_URL, REDIS_HOST/PORT/PASSWORD) so existing deployments keep working.
 */
export function resolveRuntimeSettings(inputs: RuntimeInputs): RuntimeSettings {
  const { general, env, overrides } = inputs;
  return {
    port: resolvePort(inputs),
    host: nonEmpty(overrides.host) ?? envValue(env, 'HOST') ?? DEFAULT_HOST,
    masterKey: envValue(env, 'TOLLGATE_MASTER_KEY') ?? envValue(env, 'LITELLM_MASTER_KEY') ?? nonEmpty(general.master_key),
    databaseUrl: envValue(env, 'DATABASE_URL') ?? nonEmpty(general.database_url),
    redisUrl: resolveRedisUrl(inputs),
    dataDir: path.resolve(inputs.cwd ?? process.cwd(), envValue(env, 'TOLLGATE_DATA_DIR') ?? DEFAULT_DATA_DIR),
    maxRequestBytes:
      general.max_request_size_mb === undefined
        ? DEFAULT_MAX_REQUEST_BYTES
        : Math.floor(general.max_request_size_mb * BYTES_PER_MB),
    upstreamPool: resolveUpstreamPool(inputs),
    rateLimitWindowMs: resolveRateLimitWindowMs(inputs),
    limitsSyncMs: resolveLimitsSyncMs(inputs),
  };
}

const LIMITS_SYNC_EXPECTED = 'a whole number of milliseconds from 1 to 1000, or 0 to check every request in Redis';

/**
 * TOLLGATE_LIMITS_SYNC_MS: when set, rate limits and budgets are decided in each replica against counters
 * exchanged with Redis this often, instead of one Redis round trip per request (see docs/spend-and-limits.md).
 */
function resolveLimitsSyncMs({ env, report }: RuntimeInputs): number | undefined {
  const raw = envValue(env, 'TOLLGATE_LIMITS_SYNC_MS');
  if (raw === undefined) return undefined;
  const ms = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (Number.isInteger(ms) && ms >= 0 && ms <= 1000) return ms === 0 ? undefined : ms;
  report.problemFrom(ENV_SOURCE, 'TOLLGATE_LIMITS_SYNC_MS', `expected ${LIMITS_SYNC_EXPECTED}, got ${describeFound(raw)}`);
  return undefined;
}

const WINDOW_SIZE_EXPECTED = 'a whole number of seconds from 1 to 86400';

/**
 * LiteLLM's LITELLM_RATE_LIMIT_WINDOW_SIZE (seconds): how long rpm/tpm counters run before they start again.
 * Every replica sharing a Redis must use the same value, as with LiteLLM.
 */
function resolveRateLimitWindowMs({ env, report }: RuntimeInputs): number | undefined {
  const raw = envValue(env, 'LITELLM_RATE_LIMIT_WINDOW_SIZE');
  if (raw === undefined) return undefined;
  const seconds = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= 86_400) return seconds * 1000;
  report.problemFrom(ENV_SOURCE, 'LITELLM_RATE_LIMIT_WINDOW_SIZE', `expected ${WINDOW_SIZE_EXPECTED}, got ${describeFound(raw)}`);
  return undefined;
}

/**
 * Upstream pool sizing: LiteLLM's variables (AIOHTTP_CONNECTOR_LIMIT, AIOHTTP_KEEPALIVE_TIMEOUT in seconds),
 * then the file's general_settings keys. Invalid variables are reported like any other setting.
 */
function resolveUpstreamPool({ general, env, report }: RuntimeInputs): UpstreamPoolSettings {
  const envNumber = (name: string, fits: (n: number) => boolean, expected: string): number | undefined => {
    const raw = envValue(env, name);
    if (raw === undefined) return undefined;
    const value = /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
    if (fits(value)) return value;
    report.problemFrom(ENV_SOURCE, name, `expected ${expected}, got ${describeFound(raw)}`);
    return undefined;
  };
  const connections =
    envNumber('AIOHTTP_CONNECTOR_LIMIT', (n) => Number.isInteger(n) && n >= 0, UPSTREAM_CONNECTIONS_EXPECTED) ?? general.upstream_max_connections_per_host;
  const keepAliveSeconds = envNumber('AIOHTTP_KEEPALIVE_TIMEOUT', (n) => n > 0, 'a positive number of seconds') ?? general.upstream_keepalive_timeout;
  return {
    connectionsPerOrigin: connections,
    keepAliveMs: keepAliveSeconds === undefined ? undefined : Math.round(keepAliveSeconds * 1000),
  };
}

const PORT_EXPECTED = 'a whole number from 1 to 65535';
const LISTEN_PORT_EXPECTED = 'a whole number from 0 (any free port) to 65535';

function resolvePort({ overrides, env, report }: RuntimeInputs): number {
  if (overrides.port !== undefined) {
    if (isValidListenPort(overrides.port)) return overrides.port;
    report.problemFrom(FLAG_SOURCE, '--port', `expected ${LISTEN_PORT_EXPECTED}, got ${describeFound(overrides.port)}`);
    return DEFAULT_PORT;
  }
  const fromEnv = envValue(env, 'PORT');
  if (fromEnv === undefined) return DEFAULT_PORT;
  const port = /^\s*\d+\s*$/.test(fromEnv) ? Number(fromEnv) : NaN;
  if (isValidListenPort(port)) return port;
  report.problemFrom(ENV_SOURCE, 'PORT', `expected ${LISTEN_PORT_EXPECTED}, got ${describeFound(fromEnv)}`);
  return DEFAULT_PORT;
}

/** Port 0 asks the OS for any free port (tests, several local instances); the startup line shows the real one. */
function isValidListenPort(port: number): boolean {
  return port === 0 || isValidPort(port);
}

function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/**
 * REDIS_URL, then router_settings.redis_url, then a URL built from host/port/password. For the parts,
 * the file's router_settings come first and REDIS_HOST/REDIS_PORT/REDIS_PASSWORD fill in what it leaves
 * out, which is how LiteLLM's own Redis client reads them. No host means no Redis (in-memory mode).
 */
function resolveRedisUrl({ env, router, report }: RuntimeInputs): string | undefined {
  const fromEnv = envValue(env, 'REDIS_URL');
  if (fromEnv !== undefined) {
    if (isRedisUrl(fromEnv)) return fromEnv;
    report.problemFrom(ENV_SOURCE, 'REDIS_URL', 'expected a redis:// or rediss:// URL');
    return undefined;
  }
  const fromFile = nonEmpty(router.redis_url);
  if (fromFile !== undefined) return fromFile;

  const host = nonEmpty(router.redis_host) ?? envValue(env, 'REDIS_HOST');
  if (host === undefined) return undefined;
  const port = router.redis_port ?? readEnvRedisPort(env, report);
  const password = nonEmpty(router.redis_password) ?? envValue(env, 'REDIS_PASSWORD');
  const scheme = isTruthy(envValue(env, 'REDIS_SSL')) ? 'rediss' : 'redis';
  const auth = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${auth}${hostPart}:${port}`;
}

function readEnvRedisPort(env: NodeJS.ProcessEnv, report: ConfigReport): number {
  const raw = envValue(env, 'REDIS_PORT');
  if (raw === undefined) return DEFAULT_REDIS_PORT;
  const port = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (isValidPort(port)) return port;
  report.problemFrom(ENV_SOURCE, 'REDIS_PORT', `expected ${PORT_EXPECTED}, got ${describeFound(raw)}`);
  return DEFAULT_REDIS_PORT;
}

/** An empty variable counts as unset, as container platforms often define variables with no value. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return nonEmpty(env[name]);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && ['true', '1', 'yes', 'on'].includes(value.trim().toLowerCase());
}
