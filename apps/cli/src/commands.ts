import { Logger } from '@nestjs/common';
import { startGateway } from '@tollgate/gateway';
import { ConfigError, loadConfig, type TollgateConfig } from '@tollgate/config';
import { applyMigrations, resolveDatabase } from '@tollgate/database';
import { DEFAULT_REDIS_PREFIX } from '@tollgate/request-log';
import { startWorker } from '@tollgate/worker';

interface StartFlags {
  config?: string;
  port?: number;
  host?: string;
  withWorker?: boolean;
}

const logger = new Logger('Tollgate');

function redisPrefix(): string {
  return process.env.TOLLGATE_REDIS_PREFIX || DEFAULT_REDIS_PREFIX;
}

/** Loads the config, printing each problem on its own line and exiting when it is unusable. */
function loadOrExit(file: string | undefined, overrides: { port?: number; host?: string } = {}): TollgateConfig {
  try {
    const config = loadConfig(file, { overrides });
    for (const warning of config.warnings ?? []) logger.warn(warning);
    if (config.unusedKeys.length > 0) {
      logger.warn(`Accepted but not used by this version of Tollgate: ${config.unusedKeys.join(', ')}`);
    }
    return config;
  } catch (err) {
    return exitOnConfigError(err);
  }
}

function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`Tollgate cannot start; fix the configuration:\n${err.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  throw err;
}

/** Runs until SIGINT/SIGTERM, then closes in order; a second signal exits at once. */
function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    logger.log(`${signal} received, shutting down`);
    close().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error(`shutdown failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}

export async function runStart(flags: StartFlags): Promise<void> {
  const config = loadOrExit(flags.config, { port: flags.port, host: flags.host });
  if (flags.withWorker && !(config.runtime.redisUrl && config.runtime.databaseUrl)) {
    // Without Redis and an external database the gateway already writes its own logs; say so rather than fail.
    logger.warn('--with-worker has no effect without REDIS_URL and DATABASE_URL: the gateway writes request logs itself.');
  }
  const gateway = await startGateway(config, { redisPrefix: redisPrefix() }).catch(exitOnConfigError);
  let closeWorker: (() => Promise<void>) | undefined;
  if (flags.withWorker && config.runtime.redisUrl && config.runtime.databaseUrl) {
    const worker = await startWorker(config, { redisPrefix: redisPrefix() }).catch(exitOnConfigError);
    closeWorker = () => worker.close();
  }
  closeOnSignal(async () => {
    await gateway.close();
    if (closeWorker) await closeWorker();
  });
}

export async function runWorker(flags: { config?: string }): Promise<void> {
  const config = loadOrExit(flags.config);
  const worker = await startWorker(config, { redisPrefix: redisPrefix() }).catch(exitOnConfigError);
  closeOnSignal(() => worker.close());
}

export async function runMigrate(flags: { config?: string }): Promise<void> {
  const config = loadOrExit(flags.config);
  const database = await resolveDatabase(config.runtime);
  try {
    const result = await applyMigrations(database.url, { log: (line) => logger.log(line) });
    logger.log(`Migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied.`);
  } finally {
    await database.close();
  }
}
