import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { imageNodeOptions } from '../../bench/image-node-options';
import { execForm, isIgnored, readCopy, readInstructions, readStages, type Stage } from './dockerfile-reader';

// Checks the Dockerfile and docker-compose.yml by reading them: this machine has no Docker engine.
// The Helm chart has its own file (helm-chart.spec.ts).

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const packageJson = JSON.parse(read('package.json')) as { bin: Record<string, string> };

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = readStages(dockerfile);
  const stage = (name: string): Stage => {
    const found = stages.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no stage named ${name}`);
    return found;
  };
  const args = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
  const runtime = stages[stages.length - 1];

  it('builds in a builder stage, installs production dependencies apart, and ends in the runtime stage', () => {
    expect(stages.map((s) => s.name)).toEqual(['builder', 'deps', 'runtime']);
    const baseArg = readInstructions(dockerfile).find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    expect(baseArg?.args).toBe('NODE_IMAGE=node:20-slim');
    for (const s of stages) expect(s.base).toBe('${NODE_IMAGE}');

    const builderRuns = args(stage('builder'), 'RUN').join('\n');
    expect(builderRuns).toMatch(/npm ci(?![^\n]*--omit=dev)/);
    expect(builderRuns).toContain('npm run build');
    expect(args(stage('deps'), 'RUN').join('\n')).toMatch(/npm ci [^\n]*--omit=dev/);
  });

  it('puts the built dist/, production node_modules, bin/ and migrations into the runtime image', () => {
    const copies = args(runtime, 'COPY').map(readCopy);
    const from = (stageName: string, source: string) =>
      copies.some((c) => c.flags.includes(`--from=${stageName}`) && c.sources.includes(source));
    expect(from('builder', '/app/dist')).toBe(true);
    expect(from('deps', '/app/node_modules')).toBe(true);
    const contextSources = copies.filter((c) => !c.flags.some((f) => f.startsWith('--from'))).flatMap((c) => c.sources);
    expect(contextSources).toEqual(expect.arrayContaining(['bin', 'prisma', 'package.json']));
  });

  it('copies only paths that exist and that .dockerignore lets into the build context', () => {
    const dockerignore = read('.dockerignore');
    const sources = stages
      .flatMap((s) => args(s, 'COPY').map(readCopy))
      .filter((c) => !c.flags.some((f) => f.startsWith('--from')))
      .flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(isIgnored(dockerignore, source), source).toBe(false);
    }
    for (const excluded of ['node_modules', 'dist', '.git', '.env', 'libs/database/src/generated/prisma/client.ts']) {
      expect(isIgnored(dockerignore, excluded), excluded).toBe(true);
    }
    expect(isIgnored(dockerignore, 'libs/config/src/index.ts')).toBe(false);
    expect(isIgnored(dockerignore, 'libs/config/src/load-config.spec.ts')).toBe(true);
  });

  it('runs as a non-root user, exposes 4000 and starts the CLI from package.json', () => {
    const users = args(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].split(':')[0];
    expect(['root', '0', '']).not.toContain(user);
    // USER comes after the last RUN, so nothing later runs as root by accident.
    const lastRun = Math.max(...runtime.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.line));
    expect(runtime.instructions.find((i) => i.keyword === 'USER')!.line).toBeGreaterThan(lastRun);

    expect(args(runtime, 'EXPOSE')).toEqual(['4000']);
    expect(execForm(args(runtime, 'ENTRYPOINT')[0])).toEqual(['node', packageJson.bin.tollgate]);
    expect(packageJson.bin.tollgate).toBe('bin/tollgate.js');
    expect(execForm(args(runtime, 'CMD')[0])?.slice(0, 3)).toEqual(['start', '--config', '/app/config/config.yaml']);
  });

  it("gives every process a 32 MB semi-space through NODE_OPTIONS, which Node accepts there", () => {
    const options = imageNodeOptions(dockerfile);
    expect(options).toBe('--max-semi-space-size=32');
    // Objects that survive a while make V8 grow the young generation to its limit: two semi-spaces. Against an
    // explicit 16 (V8's default on 64-bit machines with a few GB or more), so the check holds on smaller ones too.
    const grow = [
      'const keep = [];',
      "for (let r = 0; r < 30; r++) { const a = []; for (let i = 0; i < 2e5; i++) a.push({ i, s: 'x' + i }); keep.push(a); if (keep.length > 3) keep.shift(); }",
      "const space = require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');",
      'process.stdout.write(String(space.space_size / 1048576));',
    ].join('\n');
    const youngMb = (nodeOptions: string) => {
      const run = spawnSync(process.execPath, ['-e', grow], { env: { ...process.env, NODE_OPTIONS: nodeOptions }, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return Number(run.stdout);
    };
    expect(youngMb(options)).toBe(64);
    expect(youngMb('--max-semi-space-size=16')).toBe(32);
  });

  describe('HEALTHCHECK', () => {
    const healthcheck = args(runtime, 'HEALTHCHECK')[0] ?? '';
    const command = execForm(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) ?? [];
    let server: Server | undefined;
    afterEach(() => server?.close());

    // Runs the image's probe command with this machine's node against a local server on PORT.
    const probe = (port: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, command.slice(1), { env: { ...process.env, PORT: String(port) } });
        child.on('exit', (code) => resolve(code));
      });
    const serve = async (status: number) => {
      const seen: string[] = [];
      server = createServer((req, res) => {
        seen.push(req.url ?? '');
        res.writeHead(status).end();
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      return { port: (server.address() as AddressInfo).port, seen };
    };

    it('is an exec-form node command (the slim image has no curl)', () => {
      expect(healthcheck).toMatch(/--interval=\d+s/);
      expect(command[0]).toBe('node');
    });

    it('passes when /health/liveliness answers 200', async () => {
      const { port, seen } = await serve(200);
      expect(await probe(port)).toBe(0);
      expect(seen).toEqual(['/health/liveliness']);
    });

    it('fails when the endpoint answers an error or nothing listens', async () => {
      const { port } = await serve(503);
      expect(await probe(port)).toBe(1);
      server!.close();
      server = undefined;
      expect(await probe(port)).toBe(1);
    });
  });
});

describe('docker-compose.yml', () => {
  type Service = {
    image?: string;
    build?: { context: string };
    command?: string[];
    environment?: Record<string, string | null>;
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test?: string[]; disable?: boolean };
    ports?: string[];
    volumes?: string[];
    restart?: string;
  };
  const text = read('docker-compose.yml');
  const compose = parse(text, { merge: true }) as { services: Record<string, Service> };
  const services = compose.services;
  // Compose's `${VAR:-default}` substitution, as it happens with none of the variables set.
  const withDefaults = (value: string | null | undefined) => String(value ?? '').replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name, fallback) => fallback ?? '');

  it('declares postgres, redis, migrate, gateway and worker', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'migrate', 'postgres', 'redis', 'worker']);
  });

  it('health-checks PostgreSQL 16 and Redis 7', () => {
    expect(services.postgres.image).toBe('postgres:16');
    expect(services.postgres.healthcheck?.test?.join(' ')).toContain('pg_isready');
    expect(services.redis.image).toBe('redis:7');
    expect(services.redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('migrates once the database is healthy, then starts gateway and worker after a successful migration', () => {
    expect(services.migrate.command).toEqual(['migrate']);
    expect(services.migrate.restart).toBe('no');
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of ['gateway', 'worker']) {
      expect(services[name].depends_on, name).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  it('runs the three Tollgate services from one image built from this folder', () => {
    const images = new Set(['migrate', 'gateway', 'worker'].map((name) => services[name].image));
    expect(images.size).toBe(1);
    for (const name of ['migrate', 'gateway', 'worker']) expect(services[name].build?.context).toBe('.');
    expect(services.gateway.command?.slice(0, 1)).toEqual(['start']);
    expect(services.worker.command?.slice(0, 1)).toEqual(['worker']);
    // The worker serves no HTTP, so the image's HTTP healthcheck must be off for it.
    expect(services.worker.healthcheck?.disable).toBe(true);
  });

  it('publishes port 4000 and mounts an existing config file where the command reads it', () => {
    expect(services.gateway.ports?.map(withDefaults)).toEqual(['4000:4000']);
    for (const name of ['gateway', 'worker']) {
      const configPath = services[name].command![services[name].command!.indexOf('--config') + 1];
      const mount = services[name].volumes!.map(withDefaults).find((v) => v.split(':')[1] === configPath);
      expect(mount, name).toBeDefined();
      expect(existsSync(join(root, mount!.split(':')[0])), mount).toBe(true);
    }
  });

  it('wires the database, Redis and master key, with the master key overridable from the environment', () => {
    for (const name of ['gateway', 'worker']) {
      const env = services[name].environment!;
      expect(withDefaults(env.DATABASE_URL)).toMatch(/^postgresql:\/\/tollgate:.+@postgres:5432\/tollgate$/);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.TOLLGATE_MASTER_KEY).toMatch(/^\$\{TOLLGATE_MASTER_KEY:-sk-change-me[\w-]*\}$/);
    }
    const password = withDefaults(services.postgres.environment!.POSTGRES_PASSWORD);
    expect(withDefaults(services.migrate.environment!.DATABASE_URL)).toContain(`:${password}@postgres`);
  });

  it('hard-codes no secret: every secret-like variable comes from the environment', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (!/KEY|PASSWORD|SECRET|TOKEN/.test(variable)) continue;
        // Either interpolated (`${NAME:-placeholder}`) or valueless, which Compose passes through.
        if (value !== null) expect(value, `${name}.${variable}`).toMatch(/^\$\{\w+(:-[^}]*)?\}$/);
      }
    }
    expect(services.gateway.environment).toHaveProperty('OPENAI_API_KEY', null);
    expect(text).not.toMatch(/sk-(?!change-me)[A-Za-z0-9_-]{16,}/);
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|sk-ant-|ghp_[A-Za-z0-9]{20,}/);
  });
});
