import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cleanEnv, ensureBuilt, ROOT, runCli } from './cli-process';

describe('tollgate CLI commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
  let db: TestDatabase;

  beforeAll(async () => {
    ensureBuilt();
    db = await createTestDatabase('cli_migrate', { migrate: false });
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help documents start, worker and migrate, and each command has its own help', () => {
    const help = runCli(['--help'], cleanEnv());
    expect(help.status).toBe(0);
    for (const command of ['start', 'worker', 'migrate']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const start = runCli(['start', '--help'], cleanEnv());
    expect(start.stdout).toContain('--config <file>');
    expect(start.stdout).toContain('--port <n>');
    expect(start.stdout).toContain('--host <host>');
    expect(runCli(['worker', '--help'], cleanEnv()).stdout).toContain('REDIS_URL');
    expect(runCli(['migrate', '--help'], cleanEnv()).stdout).toContain('DATABASE_URL');
  });

  it('an invalid config stops startup with one line per problem, naming the file and the path', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      `model_list:
  - model_name: a
    litellm_params:
      model: 42
  - model_name: b
    litellm_params:
      model: nosuchprovider/x
  - model_name: c
    litellm_params:
      model: openai/x
      api_base: not-a-url
`,
    );
    const result = runCli(['start', '--config', file, '--host', '127.0.0.1', '--port', '0'], cleanEnv({ TOLLGATE_DATA_DIR: join(dir, 'data') }));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Tollgate cannot start; fix the configuration:');
    expect(result.stderr).toContain(`${file}: model_list[0].litellm_params.model: expected`);
    expect(result.stderr).toContain(`${file}: model_list[2].litellm_params.api_base:`);
    const problemLines = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problemLines.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an unknown provider, listing the known ones', () => {
    const file = join(dir, 'unknown-provider.yaml');
    writeFileSync(file, 'model_list:\n  - model_name: b\n    litellm_params:\n      model: nosuchprovider/x\n');
    const result = runCli(['start', '--config', file, '--host', '127.0.0.1', '--port', '0'], cleanEnv({ TOLLGATE_DATA_DIR: join(dir, 'data') }));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/model_list\[0\]\.litellm_params\.model: unknown provider "nosuchprovider".*expected one of: .*\bfake, .*\bopenai\b/);
  });

  it('refuses to listen on the network without a master key', () => {
    const file = join(dir, 'open.yaml');
    writeFileSync(file, 'model_list:\n  - model_name: f\n    litellm_params:\n      model: fake/x\n');
    const result = runCli(['start', '--config', file, '--host', '0.0.0.0', '--port', '0'], cleanEnv({ TOLLGATE_DATA_DIR: join(dir, 'data') }));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/general_settings\.master_key: no master key is set and the gateway would listen on 0\.0\.0\.0/);
  });

  it('migrate applies the migrations to DATABASE_URL, then finds nothing to do', async () => {
    const first = runCli(['migrate'], cleanEnv({ DATABASE_URL: db.url }));
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Migrations: [1-9]\d* applied, 0 already applied/);
    const second = runCli(['migrate'], cleanEnv({ DATABASE_URL: db.url }));
    expect(second.stdout).toMatch(/Migrations: 0 applied, [1-9]\d* already applied/);
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const { rows } = await pg.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'request_logs'");
    await pg.end();
    expect(rows[0].n).toBe('1');
  });

  it('worker refuses to start without Redis and PostgreSQL, saying what to set', () => {
    const result = runCli(['worker'], cleanEnv());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the worker needs Redis: set REDIS_URL');
    expect(result.stderr).toContain('the worker needs PostgreSQL: set DATABASE_URL');
  });

  it('stops at once on a TOLLGATE_HEAP_GROWING_PERCENT that is not a whole number from 0 to 400', () => {
    for (const command of ['start', 'worker']) {
      const result = runCli([command], cleanEnv({ TOLLGATE_HEAP_GROWING_PERCENT: 'half' }));
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe('tollgate: TOLLGATE_HEAP_GROWING_PERCENT must be a whole number from 0 (V8\'s default) to 400, got "half"');
    }
  });

  it('the CLI loads the gateway and the queue worker only in the process that runs them (a cluster primary stays small)', () => {
    const commands = join(ROOT, 'dist', 'apps', 'cli', 'src', 'commands.js');
    const script = `require('reflect-metadata'); require(${JSON.stringify(commands)});
      const files = Object.keys(require.cache).map((f) => f.split(require('node:path').sep).join('/'));
      process.stdout.write(JSON.stringify({
        appsLoaded: files.filter((f) => f.includes('/dist/apps/gateway/') || f.includes('/dist/apps/worker/')),
        primaryLoaded: files.some((f) => f.endsWith('/dist/apps/cli/src/cluster/cluster-primary.js')),
      }));`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ appsLoaded: [], primaryLoaded: true });
  });

  it.each(['TOLLGATE_V8_PRETENURING', 'TOLLGATE_V8_WASM_TIER_UP'])('stops at once on a %s other than on or off', (variable) => {
    for (const command of ['start', 'worker']) {
      const result = runCli([command], cleanEnv({ [variable]: 'sometimes' }));
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(`tollgate: ${variable} must be "on" (V8's default) or "off", got "sometimes"`);
    }
  });
});
