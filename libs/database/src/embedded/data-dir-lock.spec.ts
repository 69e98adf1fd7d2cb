import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE_NAME } from './data-dir-lock';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-lock-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function writeForeignLock(dir: string, owner: { pid: number; host: string }, ageMs = 0): void {
  const path = join(dir, LOCK_FILE_NAME);
  writeFileSync(path, JSON.stringify({ token: 'someone-else', acquiredAt: '2025-01-01T00:00:00.000Z', ...owner }));
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
}

describe('acquireDataDirLock', () => {
  it('admits one holder per folder in a process, and the next one after release', async () => {
    const dir = freshDir();
    const lock = await acquireDataDirLock(dir);
    await expect(acquireDataDirLock(dir)).rejects.toThrow(/already open in this process/);
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
    await (await acquireDataDirLock(dir)).release();
  });

  it('refuses while another live process on this host holds it, and takes over once that process is gone', async () => {
    const dir = freshDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeForeignLock(dir, { pid: other.pid!, host: hostname() });
      const attempt = acquireDataDirLock(dir);
      await expect(attempt).rejects.toThrow(DataDirLockedError);
      await expect(attempt).rejects.toThrow(new RegExp(`in use by another Tollgate process \\(pid ${other.pid} on host`));
      await expect(attempt).rejects.toThrow(/delete .*embedded-postgres\.lock/);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    const lock = await acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('trusts a lock from another host only while its holder keeps refreshing it', async () => {
    const dir = freshDir();
    writeForeignLock(dir, { pid: 4242, host: 'some-other-host' });
    await expect(acquireDataDirLock(dir, { staleAfterMs: 30_000 })).rejects.toThrow(/pid 4242 on host some-other-host/);
    writeForeignLock(dir, { pid: 4242, host: 'some-other-host' }, 60_000);
    await (await acquireDataDirLock(dir, { staleAfterMs: 30_000 })).release();
  });

  it('takes over a lock naming its own pid that it does not hold (left by an earlier process with that pid)', async () => {
    const dir = freshDir();
    writeForeignLock(dir, { pid: process.pid, host: hostname() });
    await (await acquireDataDirLock(dir)).release();
  });

  it('refreshes the lock file while held', async () => {
    const dir = freshDir();
    const lock = await acquireDataDirLock(dir, { heartbeatMs: 20 });
    const old = new Date(Date.now() - 600_000);
    utimesSync(lock.path, old, old);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(Date.now() - statSync(lock.path).mtimeMs).toBeLessThan(10_000);
    await lock.release();
  });

  it('leaves the file alone on release if another process has taken the lock over', async () => {
    const dir = freshDir();
    const lock = await acquireDataDirLock(dir);
    writeForeignLock(dir, { pid: 4242, host: 'some-other-host' });
    await lock.release();
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).token).toBe('someone-else');
  });
});
