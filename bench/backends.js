// Chooses where the benchmarked Tollgate keeps its data: an external PostgreSQL and Redis (production
// shape) when both are reachable, the embedded install otherwise. A database the bench creates is
// dropped and its Redis keys deleted at the end, so runs leave nothing behind.
'use strict';

const crypto = require('node:crypto');
const { Client } = require('pg');
const Redis = require('ioredis');

const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withPg(url, fn) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisReachable(url) {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `prefix:` (the gateway's and worker's queues, counters and caches). */
async function deleteRedisPrefix(url, prefix) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * @param {{ embedded: boolean, log: (line: string) => void, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ mode: 'production'|'embedded', reason: string, databaseUrl?: string, redisUrl?: string,
 *   redisPrefix?: string, cleanup: () => Promise<void> }>}
 */
async function prepareBackends({ embedded, log, env = process.env }) {
  const noop = async () => {};
  if (embedded) return { mode: 'embedded', reason: '--embedded', cleanup: noop };
  const explicit = Boolean(env.BENCH_DATABASE_URL || env.BENCH_REDIS_URL);
  const redisUrl = env.BENCH_REDIS_URL || DEFAULT_REDIS;
  const suffix = `${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const redisPrefix = `tollgate-bench-${suffix}`;

  const fallBack = (why) => {
    // Someone who named a server wants that server measured; falling back silently would mislead them.
    if (explicit) throw new Error(`production backends unusable: ${why}`);
    log(`PostgreSQL/Redis not usable (${why}): measuring the embedded install`);
    return { mode: 'embedded', reason: why, cleanup: noop };
  };
  if (!(await redisReachable(redisUrl))) return fallBack(`no Redis at ${redisUrl}`);

  if (env.BENCH_DATABASE_URL) {
    const databaseUrl = env.BENCH_DATABASE_URL;
    try {
      await withPg(databaseUrl, (client) => client.query('SELECT 1'));
    } catch (err) {
      return fallBack(`no PostgreSQL at ${databaseUrl} (${err.message})`);
    }
    return {
      mode: 'production',
      reason: 'BENCH_DATABASE_URL',
      databaseUrl,
      redisUrl,
      redisPrefix,
      cleanup: () => deleteRedisPrefix(redisUrl, redisPrefix),
    };
  }

  const database = `tollgate_bench_${suffix}`;
  try {
    await withPg(DEFAULT_POSTGRES, (client) => client.query(`CREATE DATABASE ${database}`));
  } catch (err) {
    return fallBack(`cannot create a database at ${DEFAULT_POSTGRES} (${err.message})`);
  }
  log(`created database ${database}, Redis prefix ${redisPrefix}`);
  return {
    mode: 'production',
    reason: 'PostgreSQL and Redis reachable',
    databaseUrl: withDatabase(DEFAULT_POSTGRES, database),
    redisUrl,
    redisPrefix,
    cleanup: async () => {
      await deleteRedisPrefix(redisUrl, redisPrefix).catch((err) => log(`could not delete Redis keys: ${err.message}`));
      // FORCE: a worker killed a moment ago may still hold a connection.
      await withPg(DEFAULT_POSTGRES, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      log(`dropped database ${database}`);
    },
  };
}

module.exports = { prepareBackends, withPg, withDatabase };
