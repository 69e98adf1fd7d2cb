import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TestDatabase } from '@tollgate/testing';
import { readMigrationFiles, sha256Hex } from './migration-files';
import { applyMigrations, MigrationError } from './migrator';
import { defaultMigrationsDir } from './package-root';

const shipped = readMigrationFiles(defaultMigrationsDir());
const shippedNames = shipped.map((m) => m.name);

async function query<T extends object>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A copy of the shipped migrations plus extra folders, to exercise edits and failures without touching the repo. */
function migrationsCopy(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-migrations-'));
  cpSync(defaultMigrationsDir(), dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  copies.push(dir);
  return dir;
}
const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('applyMigrations', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('migrator', { migrate: false });
  });
  afterEach(async () => {
    await db.drop();
  });

  it('applies every migration to a fresh database, then nothing on the second run', async () => {
    expect(shippedNames.length).toBeGreaterThan(0);
    const first = await applyMigrations(db.url);
    expect(first).toEqual({ applied: shippedNames, alreadyApplied: [] });

    const lines: string[] = [];
    const second = await applyMigrations(db.url, { log: (line) => lines.push(line) });
    expect(second).toEqual({ applied: [], alreadyApplied: shippedNames });
    expect(lines.join('\n')).toMatch(/up to date/);

    const tables = await query<{ table_name: string }>(
      db.url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'request_logs'`,
    );
    expect(tables).toHaveLength(1);
  });

  it('records migrations in _prisma_migrations the way Prisma does', async () => {
    await applyMigrations(db.url);
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string; character_maximum_length: number | null; column_default: string | null }>(
      db.url,
      `SELECT column_name, data_type, is_nullable, character_maximum_length, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable, c.character_maximum_length])).toEqual([
      ['id', 'character varying', 'NO', 36],
      ['checksum', 'character varying', 'NO', 64],
      ['finished_at', 'timestamp with time zone', 'YES', null],
      ['migration_name', 'character varying', 'NO', 255],
      ['logs', 'text', 'YES', null],
      ['rolled_back_at', 'timestamp with time zone', 'YES', null],
      ['started_at', 'timestamp with time zone', 'NO', null],
      ['applied_steps_count', 'integer', 'NO', null],
    ]);
    expect(columns.find((c) => c.column_name === 'started_at')?.column_default).toBe('now()');
    expect(columns.find((c) => c.column_name === 'applied_steps_count')?.column_default).toBe('0');

    const rows = await query<{ id: string; checksum: string; migration_name: string; finished_at: Date | null; started_at: Date; logs: string | null; rolled_back_at: Date | null; applied_steps_count: number }>(
      db.url,
      `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(shippedNames);
    for (const row of rows) {
      const file = shipped.find((m) => m.name === row.migration_name)!;
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.checksum).toBe(sha256Hex(readFileSync(join(defaultMigrationsDir(), file.name, 'migration.sql'), 'utf8')));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it('refuses, naming the migration, when an applied migration file was edited', async () => {
    await applyMigrations(db.url);
    const edited = migrationsCopy();
    const target = shippedNames[0];
    writeFileSync(join(edited, target, 'migration.sql'), `${shipped[0].sql}\n-- an edit after the fact\n`);

    const run = applyMigrations(db.url, { migrationsDir: edited });
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(new RegExp(`Migration ${target} was already applied.*has changed`));
    const rows = await query<{ n: string }>(db.url, `SELECT count(*) AS n FROM "_prisma_migrations"`);
    expect(Number(rows[0].n)).toBe(shippedNames.length);
  });

  it('treats a checkout with Windows line endings as unchanged, like Prisma', async () => {
    await applyMigrations(db.url);
    const crlf = migrationsCopy();
    for (const name of shippedNames) {
      const file = join(crlf, name, 'migration.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    }
    await expect(applyMigrations(db.url, { migrationsDir: crlf })).resolves.toEqual({ applied: [], alreadyApplied: shippedNames });
  });

  it('rolls a failing migration back completely and retries it on the next run', async () => {
    const broken = '99990101000000_broken';
    const dir = migrationsCopy({
      [broken]: 'CREATE TABLE "half_done" ("id" INTEGER NOT NULL);\nSELECT * FROM "no_such_table";\n',
    });
    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toThrow(
      new RegExp(`Migration ${broken} failed and was rolled back: .*no_such_table`),
    );
    expect(await query(db.url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`)).toHaveLength(0);
    expect(await query(db.url, `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [broken])).toHaveLength(0);
    // The migrations before it did commit.
    expect(await query(db.url, `SELECT 1 FROM "_prisma_migrations"`)).toHaveLength(shippedNames.length);

    writeFileSync(join(dir, broken, 'migration.sql'), 'CREATE TABLE "half_done" ("id" INTEGER NOT NULL);\n');
    await expect(applyMigrations(db.url, { migrationsDir: dir })).resolves.toEqual({
      applied: [broken],
      alreadyApplied: shippedNames,
    });
  });

  it('stops with instructions when an earlier run left a failed migration behind', async () => {
    await applyMigrations(db.url);
    const name = '99990101000000_left_failed';
    await query(
      db.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES ($1, $2, $3, 'boom')`,
      ['00000000-0000-4000-8000-000000000000', sha256Hex('x'), name],
    );
    const run = applyMigrations(db.url, { migrationsDir: migrationsCopy({ [name]: 'SELECT 1;\n' }) });
    await expect(run).rejects.toThrow(new RegExp(`Migration ${name} failed in an earlier run`));
    await expect(run).rejects.toThrow(/prisma migrate resolve --rolled-back/);

    // Once marked rolled back (what `prisma migrate resolve` does), the migration is applied afresh.
    await query(db.url, `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1`, [name]);
    const result = await applyMigrations(db.url, { migrationsDir: migrationsCopy({ [name]: 'SELECT 1;\n' }) });
    expect(result.applied).toEqual([name]);
  });

  it('lets two migrators start together: both succeed and each migration is applied once', async () => {
    // A slow extra migration keeps the first migrator inside its lock while the second arrives.
    const slow = '99990101000000_slow';
    const dir = migrationsCopy({ [slow]: 'SELECT pg_sleep(0.5);\nCREATE TABLE "slow_marker" ("id" INTEGER);\n' });
    const logs: string[][] = [[], []];
    const results = await Promise.all(
      logs.map((lines) => applyMigrations(db.url, { migrationsDir: dir, log: (line) => lines.push(line) })),
    );

    const all = [...shippedNames, slow];
    const appliedByEither = results.flatMap((r) => r.applied).sort();
    expect(appliedByEither).toEqual(all);
    expect(results.some((r) => r.applied.length === 0 && r.alreadyApplied.length === all.length)).toBe(true);
    expect(logs.flat().some((line) => line.includes('waiting'))).toBe(true);

    const counts = await query<{ migration_name: string; n: string }>(
      db.url,
      `SELECT migration_name, count(*) AS n FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name`,
    );
    expect(counts.map((c) => [c.migration_name, Number(c.n)])).toEqual(all.map((name) => [name, 1]));
  });
});
