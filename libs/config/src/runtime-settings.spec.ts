import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemsOf, useTempConfigFolder } from '../test/temp-config';
import { loadConfig } from './load-config';

const folder = useTempConfigFolder();

const fileWith = (yaml: string) => folder.write(`runtime-${Math.random().toString(36).slice(2)}.yaml`, yaml);

describe('runtime settings: defaults', () => {
  it('uses LiteLLM-like defaults when nothing is set', () => {
    const runtime = loadConfig(undefined, { env: {}, cwd: '/srv/app' }).runtime;
    expect(runtime).toEqual({
      port: 4000,
      host: '0.0.0.0',
      masterKey: undefined,
      databaseUrl: undefined,
      redisUrl: undefined,
      dataDir: path.resolve('/srv/app', '.tollgate'),
      maxRequestBytes: 32 * 1024 * 1024,
      upstreamPool: { connectionsPerOrigin: undefined, keepAliveMs: undefined },
    });
  });
});

describe('runtime settings: port and host', () => {
  it('takes the command-line flag over PORT/HOST over the default', () => {
    expect(loadConfig(undefined, { env: { PORT: '5000', HOST: '127.0.0.1' } }).runtime).toMatchObject({ port: 5000, host: '127.0.0.1' });
    expect(loadConfig(undefined, { env: { PORT: '5000', HOST: '127.0.0.1' }, overrides: { port: 6000, host: '::' } }).runtime).toMatchObject({
      port: 6000,
      host: '::',
    });
  });

  it('rejects ports outside 0..65535 from the environment and from flags', () => {
    expect(problemsOf(() => loadConfig(undefined, { env: { PORT: '70000' } }))).toEqual([
      'environment: PORT: expected a whole number from 0 (any free port) to 65535, got "70000"',
    ]);
    expect(problemsOf(() => loadConfig(undefined, { env: { PORT: 'http' } }))).toEqual([
      'environment: PORT: expected a whole number from 0 (any free port) to 65535, got "http"',
    ]);
    expect(problemsOf(() => loadConfig(undefined, { env: {}, overrides: { port: -1 } }))).toEqual([
      'command line: --port: expected a whole number from 0 (any free port) to 65535, got -1',
    ]);
  });

  it('accepts port 0 (any free port) from a flag or PORT', () => {
    expect(loadConfig(undefined, { env: {}, overrides: { port: 0 } }).runtime.port).toBe(0);
    expect(loadConfig(undefined, { env: { PORT: '0' } }).runtime.port).toBe(0);
  });
});

describe('runtime settings: master key', () => {
  const file = fileWith('general_settings:\n  master_key: sk-from-file\n');

  it('prefers TOLLGATE_MASTER_KEY, then LITELLM_MASTER_KEY, then general_settings.master_key', () => {
    expect(loadConfig(file, { env: {} }).runtime.masterKey).toBe('sk-from-file');
    expect(loadConfig(file, { env: { LITELLM_MASTER_KEY: 'sk-litellm' } }).runtime.masterKey).toBe('sk-litellm');
    expect(loadConfig(file, { env: { LITELLM_MASTER_KEY: 'sk-litellm', TOLLGATE_MASTER_KEY: 'sk-tollgate' } }).runtime.masterKey).toBe('sk-tollgate');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(file, { env: { TOLLGATE_MASTER_KEY: '' } }).runtime.masterKey).toBe('sk-from-file');
  });
});

describe('runtime settings: database', () => {
  const file = fileWith('general_settings:\n  database_url: postgresql://file/db\n');

  it('prefers DATABASE_URL over general_settings.database_url, and is undefined without either', () => {
    expect(loadConfig(file, { env: {} }).runtime.databaseUrl).toBe('postgresql://file/db');
    expect(loadConfig(file, { env: { DATABASE_URL: 'postgresql://env/db' } }).runtime.databaseUrl).toBe('postgresql://env/db');
    expect(loadConfig(undefined, { env: {} }).runtime.databaseUrl).toBeUndefined();
  });
});

describe('runtime settings: redis', () => {
  it('prefers REDIS_URL, then router_settings.redis_url', () => {
    const file = fileWith('router_settings:\n  redis_url: redis://file:6379\n  redis_host: ignored\n');
    expect(loadConfig(file, { env: {} }).runtime.redisUrl).toBe('redis://file:6379');
    expect(loadConfig(file, { env: { REDIS_URL: 'rediss://env:6380' } }).runtime.redisUrl).toBe('rediss://env:6380');
  });

  it('builds a URL from router_settings host/port/password, escaping the password', () => {
    const file = fileWith('router_settings:\n  redis_host: cache.internal\n  redis_port: 6380\n  redis_password: "p@ss:w/rd"\n');
    expect(loadConfig(file, { env: {} }).runtime.redisUrl).toBe('redis://:p%40ss%3Aw%2Frd@cache.internal:6380');
  });

  it('falls back to REDIS_HOST/REDIS_PORT/REDIS_PASSWORD for parts the file leaves out', () => {
    expect(loadConfig(undefined, { env: { REDIS_HOST: 'envhost', REDIS_PORT: '7000', REDIS_PASSWORD: 'pw' } }).runtime.redisUrl).toBe(
      'redis://:pw@envhost:7000',
    );
    const file = fileWith('router_settings:\n  redis_host: filehost\n');
    expect(loadConfig(file, { env: { REDIS_HOST: 'envhost', REDIS_PASSWORD: 'pw' } }).runtime.redisUrl).toBe('redis://:pw@filehost:6379');
  });

  it('uses TLS when REDIS_SSL is true', () => {
    expect(loadConfig(undefined, { env: { REDIS_HOST: 'h', REDIS_SSL: 'True' } }).runtime.redisUrl).toBe('rediss://h:6379');
  });

  it('is undefined without any host (in-memory mode)', () => {
    expect(loadConfig(undefined, { env: { REDIS_PORT: '7000' } }).runtime.redisUrl).toBeUndefined();
  });

  it('rejects a REDIS_URL or REDIS_PORT that cannot be used, without showing the URL', () => {
    expect(problemsOf(() => loadConfig(undefined, { env: { REDIS_URL: 'http://:secret-pw@h' } }))).toEqual([
      'environment: REDIS_URL: expected a redis:// or rediss:// URL',
    ]);
    expect(problemsOf(() => loadConfig(undefined, { env: { REDIS_HOST: 'h', REDIS_PORT: 'x' } }))).toEqual([
      'environment: REDIS_PORT: expected a whole number from 1 to 65535, got "x"',
    ]);
  });
});

describe('runtime settings: data folder and request size', () => {
  it('resolves TOLLGATE_DATA_DIR against the working folder', () => {
    expect(loadConfig(undefined, { env: { TOLLGATE_DATA_DIR: 'state' }, cwd: '/srv/app' }).runtime.dataDir).toBe(path.resolve('/srv/app/state'));
    expect(loadConfig(undefined, { env: { TOLLGATE_DATA_DIR: '/var/lib/tollgate' } }).runtime.dataDir).toBe('/var/lib/tollgate');
  });

  it('converts general_settings.max_request_size_mb to bytes', () => {
    const file = fileWith('general_settings:\n  max_request_size_mb: 1.5\n');
    expect(loadConfig(file, { env: {} }).runtime.maxRequestBytes).toBe(1.5 * 1024 * 1024);
  });
});

describe('runtime settings: upstream connection pool', () => {
  it('reads general_settings, with LiteLLM\'s AIOHTTP_* variables taking precedence', () => {
    const file = fileWith('general_settings:\n  upstream_max_connections_per_host: 64\n  upstream_keepalive_timeout: 90\n');
    expect(loadConfig(file, { env: {} }).runtime.upstreamPool).toEqual({ connectionsPerOrigin: 64, keepAliveMs: 90_000 });
    expect(loadConfig(file, { env: { AIOHTTP_CONNECTOR_LIMIT: '0', AIOHTTP_KEEPALIVE_TIMEOUT: '2.5' } }).runtime.upstreamPool).toEqual({
      connectionsPerOrigin: 0,
      keepAliveMs: 2_500,
    });
  });

  it('refuses values that cannot size a pool, from the file and from the environment', () => {
    const file = fileWith('general_settings:\n  upstream_max_connections_per_host: 1.5\n  upstream_keepalive_timeout: 0\n');
    expect(problemsOf(() => loadConfig(file, { env: { AIOHTTP_CONNECTOR_LIMIT: '-3', AIOHTTP_KEEPALIVE_TIMEOUT: 'soon' } }))).toEqual([
      expect.stringContaining('general_settings.upstream_max_connections_per_host: expected a whole number of connections (0 for no limit), got 1.5'),
      expect.stringContaining('general_settings.upstream_keepalive_timeout: expected a positive number of seconds, got 0'),
      'environment: AIOHTTP_CONNECTOR_LIMIT: expected a whole number of connections (0 for no limit), got "-3"',
      'environment: AIOHTTP_KEEPALIVE_TIMEOUT: expected a positive number of seconds, got "soon"',
    ]);
  });
});

describe('runtime settings: rate-limit window', () => {
  it("reads LiteLLM's LITELLM_RATE_LIMIT_WINDOW_SIZE in seconds; unset keeps the built-in minute", () => {
    expect(loadConfig(undefined, { env: {} }).runtime.rateLimitWindowMs).toBeUndefined();
    expect(loadConfig(undefined, { env: { LITELLM_RATE_LIMIT_WINDOW_SIZE: '30' } }).runtime.rateLimitWindowMs).toBe(30_000);
    expect(loadConfig(undefined, { env: { LITELLM_RATE_LIMIT_WINDOW_SIZE: ' 3600 ' } }).runtime.rateLimitWindowMs).toBe(3_600_000);
  });

  it('refuses a window that is not a whole number of seconds from 1 to a day', () => {
    for (const raw of ['0', '1.5', '-5', 'minute', '86401']) {
      expect(problemsOf(() => loadConfig(undefined, { env: { LITELLM_RATE_LIMIT_WINDOW_SIZE: raw } }))).toEqual([
        `environment: LITELLM_RATE_LIMIT_WINDOW_SIZE: expected a whole number of seconds from 1 to 86400, got "${raw}"`,
      ]);
    }
  });
});

describe('runtime settings: limits exchanged with Redis', () => {
  it('reads TOLLGATE_LIMITS_SYNC_MS; unset or 0 keeps one Redis check per request', () => {
    expect(loadConfig(undefined, { env: {} }).runtime.limitsSyncMs).toBeUndefined();
    expect(loadConfig(undefined, { env: { TOLLGATE_LIMITS_SYNC_MS: '0' } }).runtime.limitsSyncMs).toBeUndefined();
    expect(loadConfig(undefined, { env: { TOLLGATE_LIMITS_SYNC_MS: '10' } }).runtime.limitsSyncMs).toBe(10);
    expect(loadConfig(undefined, { env: { TOLLGATE_LIMITS_SYNC_MS: ' 1000 ' } }).runtime.limitsSyncMs).toBe(1000);
  });

  it('refuses an interval that is not a whole number of milliseconds up to a second', () => {
    for (const raw of ['1001', '2.5', '-1', 'fast']) {
      expect(problemsOf(() => loadConfig(undefined, { env: { TOLLGATE_LIMITS_SYNC_MS: raw } }))).toEqual([
        `environment: TOLLGATE_LIMITS_SYNC_MS: expected a whole number of milliseconds from 1 to 1000, or 0 to check every request in Redis, got "${raw}"`,
      ]);
    }
  });
});
