import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { checksumMatches, MigrationFile, readMigrationFiles } from './migration-files';
import { defaultMigrationsDir } from './package-root';

export interface ApplyMigrationsOptions {
  /** Defaults to prisma/migrations in the Tollgate package. */
  migrationsDir?: string;
  log?: (line: string) => void;
}

export interface ApplyMigrationsResult {
  /** Migrations this run applied, in order. */
  applied: string[];
  /** Migrations found already applied (by this migrator or by `prisma migrate deploy`). */
  alreadyApplied: string[];
}

/** A migration problem a person must look at; `migrationName` says which folder. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migrationName: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Session advisory lock key serialising Tollgate migrators: the ASCII bytes of "tollgate" as a bigint. */
export const MIGRATION_ADVISORY_LOCK_KEY = '8389759096033801317';

const MIGRATIONS_TABLE = '_prisma_migrations';

// Prisma's own definition of its bookkeeping table, so `prisma migrate deploy` and `prisma migrate status`
// read what this migrator wrote (and the other way round).
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface RecordedMigration {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the pending SQL migrations to the database, recording them in `_prisma_migrations` exactly as
 * Prisma does. Safe to run from several replicas at once: the whole run holds a session advisory lock, so
 * the second migrator waits and then finds nothing left to do.
 */
export async function applyMigrations(
  databaseUrl: string,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => undefined);
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  // Read the files before connecting, so a broken checkout fails without touching the database.
  const files = readMigrationFiles(migrationsDir);

  const client = new Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 15_000,
    application_name: 'tollgate-migrator',
  });
  // A dropped connection also rejects the query in flight; this only keeps it from crashing the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await withAdvisoryLock(client, log, () => migrate(client, files, log));
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withAdvisoryLock<T>(client: Client, log: (line: string) => void, run: () => Promise<T>): Promise<T> {
  const attempt = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
    MIGRATION_ADVISORY_LOCK_KEY,
  ]);
  if (!attempt.rows[0]?.locked) {
    log('Another migrator is running; waiting for it to finish');
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_ADVISORY_LOCK_KEY]);
  }
  try {
    return await run();
  } finally {
    // Ending the session would release it too; unlocking explicitly frees it even if end() stalls.
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_ADVISORY_LOCK_KEY]).catch(() => undefined);
  }
}

async function migrate(client: Client, files: MigrationFile[], log: (line: string) => void): Promise<ApplyMigrationsResult> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const recorded = (
    await client.query<RecordedMigration>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "${MIGRATIONS_TABLE}" ORDER BY started_at`,
    )
  ).rows;

  refuseAfterFailedMigration(recorded);

  // A row marked rolled back no longer counts as applied (Prisma re-applies such a migration too).
  const appliedChecksums = new Map<string, string>();
  for (const row of recorded) {
    if (row.finished_at !== null && row.rolled_back_at === null) appliedChecksums.set(row.migration_name, row.checksum);
  }

  const alreadyApplied: string[] = [];
  const pending: MigrationFile[] = [];
  for (const file of files) {
    const checksum = appliedChecksums.get(file.name);
    if (checksum === undefined) {
      pending.push(file);
    } else if (!checksumMatches(file.sql, checksum)) {
      throw new MigrationError(
        `Migration ${file.name} was already applied to this database, but its migration.sql has changed since ` +
          `(recorded checksum ${checksum}, file checksum ${file.checksum}). Applied migrations must never be edited: ` +
          `restore the original file and put the change in a new migration.`,
        file.name,
      );
    } else {
      alreadyApplied.push(file.name);
    }
  }

  const known = new Set(files.map((file) => file.name));
  for (const name of appliedChecksums.keys()) {
    if (!known.has(name)) log(`Database has migration ${name}, which this version does not know (applied by a newer version?)`);
  }

  const applied: string[] = [];
  for (const file of pending) {
    const startedAt = Date.now();
    log(`Applying migration ${file.name}`);
    await applyOne(client, file);
    applied.push(file.name);
    log(`Applied migration ${file.name} in ${Date.now() - startedAt} ms`);
  }
  if (applied.length === 0) log(`Database schema is up to date (${alreadyApplied.length} migrations applied)`);
  return { applied, alreadyApplied };
}

function refuseAfterFailedMigration(recorded: RecordedMigration[]): void {
  const failed = recorded.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (!failed) return;
  const name = failed.migration_name;
  throw new MigrationError(
    `Migration ${name} failed in an earlier run and was left unfinished, so no further migrations are applied. ` +
      `Check the database by hand and complete or undo what ${name} changed, then mark it as resolved: ` +
      `\`prisma migrate resolve --rolled-back ${name}\` (or \`--applied ${name}\` if you completed it), or in SQL: ` +
      `UPDATE "${MIGRATIONS_TABLE}" SET rolled_back_at = now() WHERE migration_name = '${name}' AND finished_at IS NULL;`,
    name,
  );
}

/**
 * One migration and its bookkeeping row commit together, so a failure leaves no trace and the next run
 * simply retries it. (Prisma itself would leave a "failed" row here; with a transaction there is nothing
 * half-applied to resolve.) Scripts therefore must not contain statements that refuse to run inside a
 * transaction, such as CREATE INDEX CONCURRENTLY.
 */
async function applyOne(client: Client, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO "${MIGRATIONS_TABLE}" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, clock_timestamp(), 0)`,
      [id, file.checksum, file.name],
    );
    // No parameters: pg sends it as a simple query, which may hold many statements.
    await client.query(file.sql);
    await client.query(
      `UPDATE "${MIGRATIONS_TABLE}" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${file.name} failed and was rolled back: ${reason}`, file.name);
  }
}
