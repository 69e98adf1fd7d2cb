import { Logger, type INestApplicationContext, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, formatConfigProblem, type TollgateConfig } from '@tollgate/config';
import { applyMigrations, createPrismaClient, resolveDatabase } from '@tollgate/database';
import { createKeyValueStore } from '@tollgate/kv';
import { DEFAULT_REDIS_PREFIX, RequestLogWriter, queuePrefix } from '@tollgate/request-log';
import { budgetResetSettings } from '@tollgate/tenancy';
import { WorkerModule } from './worker.module';
import { TollgateLogger } from '@tollgate/observability';

export interface StartWorkerOptions {
  /** Must equal the gateway's prefix (default `tollgate`). */
  redisPrefix?: string;
  logger?: LoggerService | LogLevel[] | false;
  batch?: { maxBatch: number; maxDelayMs: number };
  /** The time budget resets see (tests move it forward instead of waiting for a period to end). */
  clock?: () => Date;
  /** Leave migrations to the caller, which applied them once for several processes (cluster mode). */
  skipMigrations?: boolean;
}

export interface RunningWorker {
  app: INestApplicationContext;
  close(): Promise<void>;
}

/**
 * Starts the queue worker that writes request logs to PostgreSQL. It needs Redis (where the gateway queues
 * events) and an external database: the embedded database belongs to a single gateway process, which then
 * writes its own logs.
 */
export async function startWorker(config: TollgateConfig, options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const { runtime } = config;
  const problems: string[] = [];
  if (!runtime.redisUrl) {
    problems.push(formatConfigProblem(config.sourceFile, 'router_settings.redis_url', 'the worker needs Redis: set REDIS_URL (the gateway queues request logs there)'));
  }
  if (!runtime.databaseUrl) {
    problems.push(formatConfigProblem(config.sourceFile, 'general_settings.database_url', 'the worker needs PostgreSQL: set DATABASE_URL'));
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const logger = new Logger('TollgateWorker');
  const database = await resolveDatabase(runtime);
  if (!options.skipMigrations) await applyMigrations(database.url, { log: (line) => logger.log(line) });
  const prisma = createPrismaClient(database.url, database.poolSize);
  const redisPrefix = options.redisPrefix ?? DEFAULT_REDIS_PREFIX;
  // The gateways' store (same prefix), to tell them when budget resets changed cached spend.
  const kv = createKeyValueStore({ redisUrl: runtime.redisUrl, prefix: `${redisPrefix}:` });
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot({
      redisUrl: runtime.redisUrl as string,
      queuePrefix: queuePrefix(redisPrefix),
      writer: new RequestLogWriter(prisma),
      batch: options.batch,
      budgetReset: { db: prisma, kv, settings: budgetResetSettings(config.general_settings), clock: options.clock },
    }),
    { logger: options.logger ?? new TollgateLogger() },
  ).catch(async (err: unknown) => {
    await kv.close();
    await prisma.$disconnect();
    await database.close();
    throw err;
  });
  logger.log('Worker started: writing request logs from Redis to PostgreSQL.');
  return {
    app,
    close: async () => {
      await app.close();
      await kv.close();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
