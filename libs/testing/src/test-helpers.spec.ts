import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseServerUrl } from './test-database';
import { testRedisUrl, uniquePrefix } from './test-redis';

async function databaseExists(url: string, name: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('creates a separate, migrated database per call and drops it', async () => {
    const [a, b] = await Promise.all([createTestDatabase('helpers A!'), createTestDatabase('helpers A!')]);
    try {
      expect(await databaseExists(testDatabaseServerUrl(), a.name)).toBe(true);
      expect(a.name).not.toBe(b.name);
      expect(a.name).toMatch(/^tg_test_helpers_a_\d+_[0-9a-f]{8}$/);
      const client = new Client({ connectionString: a.url });
      await client.connect();
      const { rows } = await client.query(`SELECT current_database() AS db, count(*)::int AS n FROM "_prisma_migrations"`);
      await client.end();
      expect(rows[0].db).toBe(a.name);
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await a.drop();
      await b.drop();
    }
    expect(await databaseExists(testDatabaseServerUrl(), a.name)).toBe(false);
    expect(await databaseExists(testDatabaseServerUrl(), b.name)).toBe(false);
  });

  it('can leave the database empty for migrator tests', async () => {
    const db = await createTestDatabase('helpers-empty', { migrate: false });
    try {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
      await client.end();
      expect(rows[0].n).toBe(0);
    } finally {
      await db.drop();
    }
  });
});

describe('Redis helpers', () => {
  it('gives every call its own key prefix and reads the URL from the environment', () => {
    expect(uniquePrefix('rate limits')).not.toBe(uniquePrefix('rate limits'));
    expect(uniquePrefix('rate limits')).toMatch(/^test:rate-limits:\d+:[0-9a-f]{8}:$/);
    expect(testRedisUrl()).toBe(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
});
