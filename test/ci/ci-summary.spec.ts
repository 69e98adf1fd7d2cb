import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const summaryScript = join(root, '.ci', 'summary.js');
const work = mkdtempSync(join(tmpdir(), 'tollgate-ci-summary-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function summary(report: unknown, exitStatus: number): string {
  const file = join(work, `report-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, report === undefined ? 'not json' : JSON.stringify(report));
  return execFileSync('node', [summaryScript, file, String(exitStatus)], { encoding: 'utf8' }).trim();
}

const lastLine = (output: string) => output.split('\n').at(-1);

describe('.ci/summary.js', () => {
  it('reports passed, failed and skipped tests from the JSON report', () => {
    expect(summary({ numPassedTests: 10, numFailedTests: 0, numPendingTests: 2, numTodoTests: 1 }, 0)).toBe('10 passed, 0 failed, 3 skipped');
    expect(summary({ numPassedTests: 10, numFailedTests: 2 }, 1)).toBe('10 passed, 2 failed');
  });

  it('counts suites that failed to load when no test failed', () => {
    expect(summary({ numPassedTests: 10, numFailedTests: 0, numFailedTestSuites: 1 }, 1)).toBe('10 passed, 1 failed');
  });

  it('reads a run that exited non-zero with no failing test as failed', () => {
    const output = summary({ numPassedTests: 10, numFailedTests: 0 }, 1);
    expect(lastLine(output)).toBe('10 passed, 1 failed');
    expect(output).toContain('exited 1 with no failing test');
  });

  it('reads a missing or broken report as failed', () => {
    expect(summary(undefined, 0)).toContain('0 passed, 1 failed');
  });

  it('sees the failure of a real vitest run whose only error is an unhandled rejection', () => {
    const report = join(work, 'real.json');
    const run = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(__dirname, 'fixtures', 'vitest.fixture.config.mts'), '--reporter=json', `--outputFile.json=${report}`],
      { cwd: join(__dirname, 'fixtures'), encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).toBe(1);
    const output = execFileSync('node', [summaryScript, report, String(run.status)], { encoding: 'utf8' }).trim();
    expect(lastLine(output)).toBe('1 passed, 1 failed');
  }, 60_000);
});
