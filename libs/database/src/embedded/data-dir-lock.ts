import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

export const LOCK_FILE_NAME = 'embedded-postgres.lock';

export interface DataDirLockOptions {
  /** A lock whose holder has not refreshed it for this long is considered abandoned. */
  staleAfterMs?: number;
  /** How often the holder refreshes the lock file's modification time. */
  heartbeatMs?: number;
}

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockOwner {
  token: string;
  pid: number;
  host: string;
  acquiredAt: string;
}

/** The data folder is being used by another live process (or another instance in this one). */
export class DataDirLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirLockedError';
  }
}

// Locks this process holds; a lock file naming our own pid but absent here was left by an earlier process
// that happened to have the same pid (typical for pid 1 in a restarted container).
const heldByThisProcess = new Set<string>();

/**
 * Claims exclusive use of an embedded-database folder. Two PostgreSQL instances on one data folder would
 * corrupt it, so the second opener must fail. The lock is a file created exclusively; it is abandoned (and
 * taken over) when its holder is known dead (same host, pid gone) or has stopped refreshing it (any host,
 * for example a container recreated under a new hostname after a crash).
 */
export async function acquireDataDirLock(dir: string, options: DataDirLockOptions = {}): Promise<DataDirLock> {
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const path = join(resolve(dir), LOCK_FILE_NAME);
  const owner: LockOwner = { token: randomUUID(), pid: process.pid, host: hostname(), acquiredAt: new Date().toISOString() };

  for (let attempt = 0; attempt < 3; attempt++) {
    if (heldByThisProcess.has(path)) {
      throw new DataDirLockedError(`The embedded database in ${dir} is already open in this process.`);
    }
    try {
      await fs.writeFile(path, JSON.stringify(owner), { flag: 'wx' });
      heldByThisProcess.add(path);
      return startHolding(path, owner.token, heartbeatMs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const verdict = await inspectExistingLock(path, staleAfterMs);
    if (verdict.kind === 'held') {
      throw new DataDirLockedError(
        `The embedded database in ${dir} is in use by another Tollgate process (${verdict.describe}). ` +
          `Stop that process, give this one a different data folder, or set DATABASE_URL to use an external ` +
          `PostgreSQL. If you are sure no such process is running, delete ${path}.`,
      );
    }
    await fs.rm(path, { force: true });
  }
  throw new DataDirLockedError(`Could not lock the embedded database in ${dir}: another process keeps claiming it.`);
}

type LockVerdict = { kind: 'held'; describe: string } | { kind: 'abandoned' };

async function inspectExistingLock(path: string, staleAfterMs: number): Promise<LockVerdict> {
  let raw: string;
  let modifiedAt: number;
  try {
    [raw, modifiedAt] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path).then((s) => s.mtimeMs)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'abandoned' };
    throw error;
  }
  const refreshedLongAgo = Date.now() - modifiedAt > staleAfterMs;
  const owner = parseOwner(raw);
  if (!owner) {
    // Empty or partial content is also what a holder mid-write looks like; only age decides.
    return refreshedLongAgo ? { kind: 'abandoned' } : { kind: 'held', describe: 'lock file being written' };
  }
  const describe = `pid ${owner.pid} on host ${owner.host}, since ${owner.acquiredAt}`;
  if (refreshedLongAgo) return { kind: 'abandoned' };
  if (owner.host === hostname()) {
    if (owner.pid === process.pid) return { kind: 'abandoned' };
    return isProcessAlive(owner.pid) ? { kind: 'held', describe } : { kind: 'abandoned' };
  }
  return { kind: 'held', describe };
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof parsed.token === 'string' && typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { token: parsed.token, pid: parsed.pid, host: parsed.host, acquiredAt: String(parsed.acquiredAt) };
    }
  } catch {
    // fall through: not a lock we can read
  }
  return undefined;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function startHolding(path: string, token: string, heartbeatMs: number): DataDirLock {
  const heartbeat = setInterval(() => {
    const now = new Date();
    fs.utimes(path, now, now).catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();

  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      heldByThisProcess.delete(path);
      // Only remove the file if it is still ours; after a takeover it belongs to someone else.
      const current = parseOwner(await fs.readFile(path, 'utf8').catch(() => ''));
      if (current?.token === token) await fs.rm(path, { force: true });
    },
  };
}
