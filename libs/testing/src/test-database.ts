import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations, withDatabaseName } from '@tollgate/database';

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export function testDatabaseServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
}

export interface TestDatabase {
  url: string;
  name: string;
  /** Drops the database, disconnecting anything still attached to it. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Apply prisma/migrations to it (default true); false gives an empty database, e.g. to test the migrator. */
  migrate?: boolean;
}

/**
 * A freshly created, uniquely named database on the test server, so test files running in parallel never
 * see each other's rows. Call `drop()` in afterAll.
 */
export async function createTestDatabase(label: string, options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = testDatabaseServerUrl();
  const name = uniqueDatabaseName(label);
  await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = withDatabaseName(serverUrl, name);
  const drop = () => withAdminClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  if (options.migrate ?? true) {
    try {
      await applyMigrations(url);
    } catch (error) {
      await drop().catch(() => undefined);
      throw error;
    }
  }
  return { url, name, drop: async () => void (await drop()) };
}

/** Lower-case letters, digits and underscores only, so it needs no escaping and fits PostgreSQL's 63 bytes. */
function uniqueDatabaseName(label: string): string {
  const safeLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30);
  return `tg_test_${safeLabel || 'db'}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function withAdminClient<T>(serverUrl: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
