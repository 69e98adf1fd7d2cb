import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, redisTestScope, testRedisUrl, type TestDatabase } from '@tollgate/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../../gateway/test/support/fake-openai-upstream';
import { UPSTREAM_API_KEY } from '../../gateway/test/support/upstream-config';
import { cleanEnv, ROOT, runCli } from './cli-process';
import { gatewayPids, isAlive, requestOnNewConnection, startCluster, type RunningCluster, type Served } from './cluster-support';

const MASTER = 'sk-cluster-e2e-master';
const MIGRATIONS = readdirSync(join(ROOT, 'prisma', 'migrations'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** The environment of a cluster on its own database, Redis prefix and data folder. */
function clusterEnv(databaseUrl: string, redisPrefix: string, dir: string): NodeJS.ProcessEnv {
  return cleanEnv({
    DATABASE_URL: databaseUrl,
    REDIS_URL: testRedisUrl(),
    TOLLGATE_REDIS_PREFIX: redisPrefix.replace(/:$/, ''),
    TOLLGATE_DATA_DIR: join(dir, 'data'),
    UPSTREAM_API_KEY,
  });
}

function writeConfig(dir: string, upstreamUrl: string): string {
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    `model_list:\n  - model_name: gpt-4o-mini\n    litellm_params:\n      model: openai/gpt-4o-mini\n      api_base: ${upstreamUrl}/v1\n      api_key: os.environ/UPSTREAM_API_KEY\n` +
      `general_settings:\n  master_key: ${MASTER}\n`,
  );
  return file;
}

/**
 * What one suite's cluster runs on (its fake upstream, database, Redis prefix and folder) and the teardown
 * of all of it, the cluster's processes included, however far the suite got.
 */
function clusterSandbox(name: string, options: { migrate: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), `tollgate-${name}-`));
  const redis = redisTestScope(name);
  const upstream = new FakeOpenAIUpstream();
  let db: TestDatabase | undefined;
  let cluster: RunningCluster | undefined;
  return {
    dir,
    upstream,
    get db(): TestDatabase {
      if (!db) throw new Error('clusterSandbox: prepare() has not run');
      return db;
    },
    /** Starts the upstream, creates the database and writes the config; the cluster's env and config file. */
    async prepare(): Promise<{ env: NodeJS.ProcessEnv; config: string }> {
      await upstream.start();
      db = await createTestDatabase(`${name.replace(/-/g, '_')}_e2e`, { migrate: options.migrate });
      return { env: clusterEnv(db.url, redis.prefix, dir), config: writeConfig(dir, upstream.url) };
    },
    async startCluster(start: Parameters<typeof startCluster>[0]): Promise<RunningCluster> {
      cluster = await startCluster(start);
      return cluster;
    },
    async dispose(): Promise<void> {
      if (cluster?.child.exitCode === null) cluster.child.kill('SIGKILL');
      for (const pid of cluster ? gatewayPids(cluster.output()) : []) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      await upstream.stop();
      await db?.drop();
      await redis.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The lines a process logged, by the pid Nest's logger prints at the start of each. */
function linesOf(output: string, pattern: RegExp): Array<{ pid: number; line: string }> {
  return output
    .split('\n')
    .filter((line) => pattern.test(line))
    .map((line) => ({ pid: Number(/\[Nest\] (\d+)/.exec(line)?.[1]), line }));
}

describe('tollgate start --num_workers 2', () => {
  const sandbox = clusterSandbox('cluster', { migrate: false });
  const { dir, upstream } = sandbox;
  let cluster: RunningCluster;
  let port: number;
  let env: NodeJS.ProcessEnv;

  const chat = (pids: number[], key = MASTER): Promise<Served> =>
    requestOnNewConnection(port, pids, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });

  beforeAll(async () => {
    // The database starts empty (migrate: false): the cluster itself must bring the schema up, once.
    const prepared = await sandbox.prepare();
    // A short heartbeat timeout, so that the hung-worker test below is quick (the default is 30 s).
    env = { ...prepared.env, TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: '5' };
    cluster = await sandbox.startCluster({ config: prepared.config, env, workers: 2 });
    port = cluster.port;
  }, 120_000);

  afterAll(() => sandbox.dispose());

  it('refuses to start without Redis, in one line, before forking anything', () => {
    const config = writeConfig(dir, upstream.url);
    const { REDIS_URL: _redis, ...withoutRedis } = env;
    for (const [args, extraEnv] of [
      [['--num_workers', '2'], {}],
      [['--num-workers', '3'], {}],
      [[], { NUM_WORKERS: '2' }],
    ] as Array<[string[], Record<string, string>]>) {
      const result = runCli(['start', '--config', config, '--port', '0', '--host', '127.0.0.1', ...args], { ...withoutRedis, ...extraEnv });
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^tollgate: --num_workers \d needs Redis \(REDIS_URL.*rate limits, budgets, cooldowns and queues/);
      expect(result.stdout).not.toMatch(/cluster: started/);
    }
  }, 60_000);

  it('refuses a heartbeat timeout it cannot use, in one line, before forking anything', () => {
    const config = writeConfig(dir, upstream.url);
    const result = runCli(['start', '--config', config, '--port', '0', '--host', '127.0.0.1', '--num_workers', '2'], { ...env, TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: '0.2' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('tollgate: TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: expected 0 (watch off) or a number of seconds of at least 1, got "0.2"');
    expect(result.stdout).not.toMatch(/cluster: started/);
  }, 60_000);

  it('stops with exit 1 when its workers cannot start, instead of restarting them forever', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const takenPort = String((taken.address() as { port: number }).port);
      const result = runCli(['start', '--config', writeConfig(dir, upstream.url), '--port', takenPort, '--host', '127.0.0.1', '--num_workers', '2'], env);
      expect(result.status).toBe(1);
      expect(result.stdout + result.stderr).toMatch(/EADDRINUSE/);
      expect(result.stdout + result.stderr).toMatch(/cluster: gateway worker \d exited with code 1 while the cluster was starting; stopping/);
    } finally {
      taken.close();
    }
  }, 60_000);

  it('applies the migrations once, in the primary, before any gateway starts', async () => {
    const applied = linesOf(cluster.output(), /Applying migration|Applied migration|Database schema is up to date/);
    expect(applied.every((l) => l.pid === cluster.child.pid)).toBe(true);
    for (const name of MIGRATIONS) expect(applied.filter((l) => l.line.includes(`Applying migration ${name}`))).toHaveLength(1);
    const pg = new Client({ connectionString: sandbox.db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual([...MIGRATIONS].sort());
    } finally {
      await pg.end();
    }
    // Each gateway logged its start, and none touched the migrations.
    const [first, second] = gatewayPids(cluster.output());
    expect(linesOf(cluster.output(), /Gateway listening on/).map((l) => l.pid).sort()).toEqual([first, second].sort());
  });

  it('serves requests from both gateway workers on one port', async () => {
    const pids = gatewayPids(cluster.output());
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(cluster.child.pid);
    const served: Served[] = [];
    for (let i = 0; i < 8; i++) served.push(await chat(pids));
    expect(served.map((s) => s.status)).toEqual(Array(8).fill(200));
    expect(served.every((s) => JSON.parse(s.body).object === 'chat.completion')).toBe(true);
    expect(new Set(served.map((s) => s.pid))).toEqual(new Set(pids));
  }, 60_000);

  it('enforces one rpm_limit across both workers (counters in Redis)', async () => {
    const pids = gatewayPids(cluster.output());
    const generated = await requestOnNewConnection(port, pids, {
      method: 'POST',
      path: '/key/generate',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key_alias: 'cluster-rpm-6', rpm_limit: 6 }),
    });
    expect(generated.status).toBe(200);
    const key = (JSON.parse(generated.body) as { key: string }).key;
    const outcomes: Served[] = [];
    for (let i = 0; i < 18; i++) outcomes.push(await chat(pids, key));
    const admitted = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status !== 200);
    expect(admitted).toHaveLength(6);
    expect(new Set(admitted.map((o) => o.pid))).toEqual(new Set(pids));
    expect(new Set(refused.map((o) => o.pid))).toEqual(new Set(pids));
    for (const refusal of refused) {
      expect(refusal.status).toBe(429);
      expect(JSON.parse(refusal.body).error.message).toMatch(/key cluster-rpm-6: rpm_limit 6/);
    }
    // One counter: every remaining count from 5 down to 0 was handed out exactly once across the workers.
    expect(admitted.map((o) => Number(o.headers['x-ratelimit-remaining-requests'])).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);

  it('replaces a killed worker while the other keeps serving', async () => {
    const [victim, survivor] = gatewayPids(cluster.output());
    process.kill(victim, 'SIGKILL');
    await waitFor(() => (/gateway worker 1 \(pid \d+\) exited with signal SIGKILL after [\d.]+ s; restarting in 1 s/.test(cluster.output()) ? true : undefined), 10_000, 'the primary to notice');
    const during: Served[] = [];
    for (let i = 0; i < 4; i++) during.push(await chat([survivor]));
    expect(during.map((s) => [s.status, s.pid])).toEqual(Array(4).fill([200, survivor]));

    const replacement = await waitFor(() => gatewayPids(cluster.output())[2], 10_000, 'a replacement worker');
    await waitFor(() => (linesOf(cluster.output(), /Gateway listening on/).some((l) => l.pid === replacement) ? true : undefined), 60_000, 'the replacement to listen');
    const after: Served[] = [];
    for (let i = 0; i < 8; i++) after.push(await chat([survivor, replacement]));
    expect(after.every((s) => s.status === 200)).toBe(true);
    expect(new Set(after.map((s) => s.pid))).toEqual(new Set([survivor, replacement]));
  }, 90_000);

  it('kills and replaces a worker whose event loop stops answering; both serve afterwards', async () => {
    const before = gatewayPids(cluster.output());
    const [stuck, other] = before.filter(isAlive);
    // Stopped, it accepts nothing and answers nothing: what a worker stuck in a loop looks like from outside.
    process.kill(stuck, 'SIGSTOP');
    const hung = new RegExp(`gateway worker \\d \\(pid ${stuck}\\) has not answered for [\\d.]+ s \\(its event loop is blocked\\); killing it`);
    await waitFor(() => (hung.test(cluster.output()) ? true : undefined), 20_000, 'the primary to find the hung worker');
    await waitFor(() => (isAlive(stuck) ? undefined : true), 10_000, 'the hung worker to be gone');

    const replacement = await waitFor(() => gatewayPids(cluster.output()).find((pid) => !before.includes(pid)), 10_000, 'a replacement worker');
    await waitFor(() => (linesOf(cluster.output(), /Gateway listening on/).some((l) => l.pid === replacement) ? true : undefined), 60_000, 'the replacement to listen');
    const after: Served[] = [];
    for (let i = 0; i < 8; i++) after.push(await chat([other, replacement]));
    expect(after.every((s) => s.status === 200)).toBe(true);
    expect(new Set(after.map((s) => s.pid))).toEqual(new Set([other, replacement]));
  }, 90_000);

  it('drains on SIGTERM and exits 0 within seconds, even with an idle keep-alive client', async () => {
    const pids = gatewayPids(cluster.output()).filter(isAlive);
    expect(pids).toHaveLength(2);
    const agent = new Agent({ keepAlive: true });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/health/liveliness', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
      const started = Date.now();
      // On a failure, the cluster's own log says why (this exited 1 once in a loaded CI run, not reproduced).
      expect(await cluster.stop(), cluster.output().slice(-4000)).toBe(0);
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(pids.filter(isAlive)).toEqual([]);
      expect(cluster.output()).toMatch(/cluster: SIGTERM received; draining 2 worker\(s\)/);
    } finally {
      agent.destroy();
    }
  }, 30_000);
});

describe('tollgate start --num_workers 2 --with-worker', () => {
  const sandbox = clusterSandbox('cluster-worker', { migrate: true });
  let cluster: RunningCluster;

  beforeAll(async () => {
    const { env, config } = await sandbox.prepare();
    cluster = await sandbox.startCluster({ config, env, workers: 2, workersFrom: 'env', args: ['--with-worker'] });
  }, 120_000);

  afterAll(() => sandbox.dispose());

  it('writes request logs through its one queue worker, and no child outlives a killed primary', async () => {
    const output = cluster.output();
    const queueWorker = Number(/cluster: started queue worker \(pid (\d+)\)/.exec(output)?.[1]);
    expect(output.match(/cluster: started queue worker/g)).toHaveLength(1);
    const pids = gatewayPids(output);
    const served = await requestOnNewConnection(cluster.port, pids, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'log me' }] }),
    });
    expect(served.status).toBe(200);
    const callId = served.headers['x-litellm-call-id'];
    const pg = new Client({ connectionString: sandbox.db.url });
    await pg.connect();
    try {
      const row = await waitFor(async () => (await pg.query('SELECT status FROM request_logs WHERE call_id = $1', [callId])).rows[0], 20_000, 'the log row');
      expect(row.status).toBe(200);
    } finally {
      await pg.end();
    }

    const children = [...pids, queueWorker];
    expect(children.every(isAlive)).toBe(true);
    cluster.child.kill('SIGKILL');
    await waitFor(() => (children.some(isAlive) ? undefined : true), 10_000, 'every child to exit after its primary died');
  }, 60_000);
});
