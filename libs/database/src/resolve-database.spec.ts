import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_MAX_CONNECTIONS } from './embedded/embedded-postgres';
import { DEFAULT_POOL_SIZE } from './prisma-client';
import { resolveDatabase } from './resolve-database';

const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-resolve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('resolveDatabase', () => {
  it('uses the external database when a URL is given, starting nothing', async () => {
    const url = 'postgresql://app:pw@db.internal:5432/tollgate';
    const resolved = await resolveDatabase({ databaseUrl: url, dataDir });
    expect(resolved).toMatchObject({ url, poolSize: DEFAULT_POOL_SIZE });
    expect(resolved.embedded).toBeUndefined();
    expect((await resolveDatabase({ databaseUrl: url, dataDir, poolSize: 25 })).poolSize).toBe(25);
    await resolved.close();
  });

  it('starts the embedded database in the data folder otherwise, with the pool size it can serve', async () => {
    const resolved = await resolveDatabase({ dataDir });
    try {
      expect(resolved.embedded).toBeDefined();
      expect(resolved.url).toBe(resolved.embedded!.url);
      expect(resolved.poolSize).toBe(EMBEDDED_MAX_CONNECTIONS);
      expect(resolved.embedded!.dataDir).toBe(dataDir);
    } finally {
      await resolved.close();
    }
    // close() released the folder.
    await (await resolveDatabase({ dataDir })).close();
  });
});
