// The benchmark's CI smoke: the whole harness runs briefly against the built gateway, once embedded and
// once in production shape (external PostgreSQL, Redis, `tollgate worker`), so it can never rot unnoticed.
// No figures are judged here, only that every scenario measured something and no spend event was lost.
// Needs `node scripts/build.js` first (npm test's pretest does it).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@tollgate/testing';
import { readImageNodeOptions } from './image-node-options';

const RUN = path.join(__dirname, 'run.js');
const ROOT = path.resolve(__dirname, '..');

interface SmokeRun {
  code: number | null;
  stderr: string;
  report: Record<string, any> | null;
  markdown: string;
}

function runSmoke(extraArgs: string[], env: Record<string, string>): Promise<SmokeRun> {
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RUN, '--smoke', ...extraArgs],
      { cwd: ROOT, env: { ...process.env, ...env, BENCH_RESULTS_DIR: resultsDir }, timeout: 110_000, maxBuffer: 16 * 2 ** 20 },
      (err, _stdout, stderr) => {
        const read = (name: string) => (fs.existsSync(path.join(resultsDir, name)) ? fs.readFileSync(path.join(resultsDir, name), 'utf8') : '');
        const json = read('latest.json');
        const markdown = read('latest.md');
        fs.rmSync(resultsDir, { recursive: true, force: true });
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr, report: json ? JSON.parse(json) : null, markdown });
      },
    );
  });
}

/** What every smoke report must show, whatever the mode. */
function expectCompleteReport(run: SmokeRun): Record<string, any> {
  expect(run.code, run.stderr.slice(-3000)).toBe(0);
  const report = run.report!;
  expect(report).not.toBeNull();
  const measured = report.scenarios.filter((s: any) => !s.skipped);
  expect(measured.map((s: any) => s.name)).toEqual(
    expect.arrayContaining(['direct-json', 'direct-stream', 'direct-serial', 'passthrough-json', 'passthrough-stream', 'passthrough-serial', 'full-json', 'full-stream', 'full-serial']),
  );
  for (const s of measured) expect(s.requests, s.name).toBeGreaterThan(0);
  // nginx is the only scenario allowed to be missing, and only when it is not installed.
  for (const s of report.scenarios.filter((x: any) => x.skipped)) expect(s.skipped).toBe('nginx is not on PATH');

  for (const p of report.paced) expect(p.completed, `paced ${p.target}`).toBeGreaterThan(0);
  expect(report.paced.map((p: any) => p.target)).toEqual(expect.arrayContaining(['direct', 'floor', 'passthrough', 'full']));
  for (const t of report.ttft) expect(t.ttftMs.p50, `ttft ${t.target}`).toBeGreaterThan(0);
  for (const s of report.streams) expect(s.completed, `streams ${s.target}`).toBe(s.concurrency);
  expect(report.large[0].bigPrompt.status).toBe(200);
  expect(report.large[0].longStream.complete).toBe(true);

  // The smoke's load runs send a fixed count, so every phase's rows must match its requests exactly.
  const { phases, totals } = report.pipeline;
  expect(phases.map((p: any) => p.phase)).toEqual(expect.arrayContaining(['full-json', 'full-stream', 'full-serial', 'paced-json', 'streams', 'large']));
  for (const p of phases) expect(p.verdict, p.phase).toBe('exact');
  expect(totals.ok).toBeGreaterThan(0);
  expect(totals.rows).toBe(totals.ok);

  expect(report.targets.length).toBeGreaterThan(10);
  expect(run.markdown).toContain('## Targets (issue 7)');
  // Tollgate is measured as the container image runs it.
  expect(report.gateway.nodeOptions).toBe(readImageNodeOptions());
  expect(run.markdown).toContain(`Tollgate's NODE_OPTIONS: \`${readImageNodeOptions()}\`.`);
  return report;
}

describe('bench smoke', () => {
  let database: TestDatabase;
  let embedded: SmokeRun;
  let production: SmokeRun;

  beforeAll(async () => {
    database = await createTestDatabase('bench_smoke', { migrate: false });
    // Side by side: each run is mostly waiting on its own gateway, and together they stay well under a minute.
    [embedded, production] = await Promise.all([
      runSmoke(['--embedded'], {}),
      runSmoke(['--soak', '0.05', '--soak-rate', '100'], { BENCH_DATABASE_URL: database.url, BENCH_REDIS_URL: testRedisUrl() }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await database?.drop();
  });

  it('runs every scenario against the embedded install', () => {
    const report = expectCompleteReport(embedded);
    expect(report.gateway.mode).toBe('embedded');
  });

  it('runs the full pipeline with PostgreSQL, Redis and the worker, and loses no spend event in the soak', () => {
    const report = expectCompleteReport(production);
    expect(report.gateway.mode).toBe('production');
    expect(report.gateway.worker).not.toBeNull();
    expect(report.soak.sent).toBeGreaterThan(0);
    expect(report.soak.rows).toBe(report.soak.sent);
    expect(report.targets.find((t: any) => t.id === 'soak-rows').status).toBe('pass');
  });
});
