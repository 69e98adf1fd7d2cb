import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One folder of prisma/migrations, read from disk. */
export interface MigrationFile {
  /** The folder name, e.g. `20261123000000_init`; it is also the name recorded in `_prisma_migrations`. */
  name: string;
  sql: string;
  /** sha256 of migration.sql, hex, as Prisma records it. */
  checksum: string;
}

/** Lists migration folders in the order they must run (Prisma orders them by folder name). */
export function readMigrationFiles(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir)) {
    throw new Error(`Migrations folder not found: ${migrationsDir}`);
  }
  const folders = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return folders.map((name) => {
    const scriptPath = join(migrationsDir, name, 'migration.sql');
    if (!existsSync(scriptPath)) {
      // Prisma refuses such a folder too; skipping it silently would hide a half-written migration.
      throw new Error(`Migration folder ${name} has no migration.sql (${scriptPath})`);
    }
    const sql = readFileSync(scriptPath, 'utf8');
    return { name, sql, checksum: sha256Hex(sql) };
  });
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Whether a recorded checksum still describes the script. Like Prisma, a checkout that only changed line
 * endings (git's autocrlf) still matches, so a Windows clone does not look like an edited migration.
 */
export function checksumMatches(sql: string, recordedChecksum: string): boolean {
  const expected = recordedChecksum.toLowerCase();
  const unix = sql.replace(/\r\n/g, '\n');
  const windows = unix.replace(/\n/g, '\r\n');
  return [sql, unix, windows].some((variant) => sha256Hex(variant) === expected);
}
