import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TestDatabase } from '@tollgate/testing';
import { checkDatabase } from './database-health';
import { DatabaseModule } from './database.module';
import { createPrismaClient } from './prisma-client';
import { PrismaService } from './prisma.service';

describe('DatabaseModule', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('database-module');
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** Connections the app's pool holds open on the test database (the pool names itself `tollgate`). */
  async function poolConnections(): Promise<number> {
    const observer = new Client({ connectionString: db.url, application_name: 'observer' });
    await observer.connect();
    try {
      const { rows } = await observer.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tollgate'`,
      );
      return Number(rows[0].n);
    } finally {
      await observer.end();
    }
  }

  it('provides a connected PrismaService to the whole app and closes its pool on app close', async () => {
    const app = await NestFactory.createApplicationContext(DatabaseModule.forRoot({ databaseUrl: db.url, poolSize: 2 }), {
      logger: false,
    });
    const prisma = app.get(PrismaService);
    expect(await prisma.ping()).toMatchObject({ ok: true });
    expect(await prisma.requestLog.count()).toBe(0);
    expect(await poolConnections()).toBeGreaterThan(0);
    await app.close();
    await expect.poll(poolConnections, { timeout: 3_000 }).toBe(0);
  });

  it('rejects a pool size that is not a positive integer', () => {
    expect(() => createPrismaClient(db.url, 0)).toThrow(/positive integer/);
  });
});

describe('checkDatabase', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: a database that hangs.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  it('reports a database that does not answer in time, without throwing', async () => {
    const { port } = silent.address() as AddressInfo;
    const prisma = createPrismaClient(`postgresql://postgres:secret-password@127.0.0.1:${port}/x`, 1);
    const startedAt = Date.now();
    const health = await checkDatabase(prisma, 300);
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/did not answer within 300 ms/);
    expect(health.error).not.toContain('secret-password');
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    sockets.forEach((s) => s.destroy());
    await prisma.$disconnect().catch(() => undefined);
  });

  it('reports a refused connection as not ok', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const prisma = createPrismaClient(`postgresql://postgres@127.0.0.1:${port}/x`, 1);
    const health = await checkDatabase(prisma, 2_000);
    expect(health.ok).toBe(false);
    expect(health.error).toBeTruthy();
    await prisma.$disconnect().catch(() => undefined);
  });
});
