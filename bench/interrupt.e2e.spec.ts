// Ctrl-C during a production-shape run must not leave the run's PostgreSQL database or Redis keys behind.
// Needs `node scripts/build.js` first (npm test's pretest does it), PostgreSQL and Redis.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseServerUrl, testRedisUrl } from '@tollgate/testing';

const RUN = path.join(__dirname, 'run.js');
const ROOT = path.resolve(__dirname, '..');

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: testDatabaseServerUrl() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

async function redisKeys(prefix: string): Promise<number> {
  const redis = new IORedis(testRedisUrl());
  try {
    return (await redis.keys(`${prefix}*`)).length;
  } finally {
    redis.disconnect();
  }
}

describe('bench interrupted', () => {
  it('drops its database and Redis keys on SIGINT', async () => {
    const child = spawn(process.execPath, [RUN, '--scenarios', 'full-json', '--duration', '30', '--warmup', '0'], {
      cwd: ROOT,
      env: { ...process.env, BENCH_RESULTS_DIR: path.join(os.tmpdir(), `bench-interrupt-${process.pid}`) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Interrupt once the full pipeline is under load, so the database has rows and Redis has keys.
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (data: Buffer) => {
        stderr += data.toString();
        if (/running full-json/.test(stderr)) resolve();
      });
      void exited.then(() => reject(new Error(`bench exited early:\n${stderr}`)));
    });
    const [, database, prefix] = /created database (\S+), Redis prefix (\S+)/.exec(stderr) ?? [];
    expect(database, stderr).toMatch(/^tollgate_bench_/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await databaseExists(database)).toBe(true);
    expect(await redisKeys(prefix)).toBeGreaterThan(0);

    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await databaseExists(database)).toBe(false);
    expect(await redisKeys(prefix)).toBe(0);
  }, 90_000);
});
