import { statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../migrator';
import { createPrismaClient } from '../prisma-client';
import { DataDirLockedError } from './data-dir-lock';
import { EMBEDDED_MAX_CONNECTIONS, EMBEDDED_SHARED_BUFFERS, EmbeddedPostgres } from './embedded-postgres';

const dataDirs: string[] = [];
function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-embedded-'));
  dataDirs.push(dir);
  return dir;
}
afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const sampleLog = (callId: string) => ({
  callId,
  startedAt: new Date('2025-03-04T05:06:07.089Z'),
  endedAt: new Date('2025-03-04T05:06:08.123Z'),
  keyHash: 'hash-of-key',
  requestedModel: 'gpt-4o',
  route: '/v1/chat/completions',
  status: 200,
  totalTokens: 42,
  latencyMs: 1034,
});

describe('EmbeddedPostgres', () => {
  it('keeps data across a stop and a restart on the same folder, and refuses a second opener meanwhile', async () => {
    const dataDir = freshDataDir();
    const first = await EmbeddedPostgres.start({ dataDir });
    try {
      // Served on a Unix socket inside the owner-only data folder, not on a TCP port any local user could reach.
      expect(first.url).toBe(`postgresql://postgres@localhost:5432/postgres?host=${encodeURIComponent(first.dataDir)}`);
      expect(statSync(first.dataDir).mode & 0o777).toBe(0o700);
      expect(first.maxConnections).toBe(EMBEDDED_MAX_CONNECTIONS);
      expect((await applyMigrations(first.url)).applied.length).toBeGreaterThan(0);

      const second = EmbeddedPostgres.start({ dataDir });
      await expect(second).rejects.toThrow(DataDirLockedError);
      await expect(second).rejects.toThrow(/already open in this process/);

      const prisma = createPrismaClient(first.url, first.maxConnections);
      try {
        await prisma.requestLog.create({ data: sampleLog('call-persisted') });
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await first.stop();
    }

    const reopened = await EmbeddedPostgres.start({ dataDir });
    try {
      expect(await applyMigrations(reopened.url)).toMatchObject({ applied: [] });
      const prisma = createPrismaClient(reopened.url, reopened.maxConnections);
      try {
        const row = await prisma.requestLog.findUniqueOrThrow({ where: { callId: 'call-persisted' } });
        expect(row).toMatchObject({ ...sampleLog('call-persisted'), id: 1n, stream: false, ttftMs: null });
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await reopened.stop();
    }
  });

  it('serves one connection at a time: a pool of that size handles concurrent queries, a second connection is refused', async () => {
    const refusals: string[] = [];
    const embedded = await EmbeddedPostgres.start({ dataDir: freshDataDir(), log: (line) => refusals.push(line) });
    try {
      await applyMigrations(embedded.url);
      const prisma = createPrismaClient(embedded.url, embedded.maxConnections);
      try {
        // Concurrent parameterised queries and a transaction, all queued on the single connection.
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            i % 5 === 0
              ? prisma.$transaction(async (tx) => (await tx.requestLog.create({ data: sampleLog(`tx-${i}`) })).callId)
              : prisma.$queryRawUnsafe<{ n: number }[]>('SELECT $1::int AS n', i).then((rows) => rows[0].n),
          ),
        );
        expect(results).toEqual(Array.from({ length: 20 }, (_, i) => (i % 5 === 0 ? `tx-${i}` : i)));

        // The pool now holds the one connection; another client is turned away.
        const intruder = new Client({ connectionString: embedded.url, connectionTimeoutMillis: 5_000 });
        intruder.on('error', () => undefined);
        await expect(intruder.connect().then(() => intruder.query('SELECT 1'))).rejects.toThrow();
        await intruder.end().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(refusals.some((line) => line.includes('refused a connection'))).toBe(true);

        expect(await prisma.requestLog.count()).toBe(4);
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await embedded.stop();
    }
  });

  it('serves a new database without holding the memory that creating it took, with small shared buffers', async () => {
    // A collection before each reading, so that only what the running server holds is counted.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    collect();
    const externalBefore = process.memoryUsage().external;
    const embedded = await EmbeddedPostgres.start({ dataDir: freshDataDir() });
    try {
      collect();
      const heldMb = (process.memoryUsage().external - externalBefore) / 1024 / 1024;
      // About 150-200 MB for the serving instance; initdb's instance held about 430 MB more.
      expect(heldMb).toBeLessThan(350);
      const client = new Client({ connectionString: embedded.url });
      await client.connect();
      try {
        expect((await client.query('SHOW shared_buffers')).rows[0].shared_buffers).toBe(EMBEDDED_SHARED_BUFFERS);
      } finally {
        await client.end();
      }
    } finally {
      await embedded.stop();
    }
  });

  it('frees the folder when stopped, even if stop is called twice', async () => {
    const dataDir = freshDataDir();
    const embedded = await EmbeddedPostgres.start({ dataDir });
    await Promise.all([embedded.stop(), embedded.stop()]);
    const again = await EmbeddedPostgres.start({ dataDir });
    await again.stop();
  });
});
