import cluster from 'node:cluster';
import { applyMigrations, resolveDatabase } from '@tollgate/database';
import { runClusterPrimary } from './cluster/cluster-primary';
import { resolveWorkerCount, WorkerCountError } from './cluster/worker-count';
import { closeOnSignal, exitOnConfigError, loadOrExit, logger, redisPrefix, type StartFlags } from './startup';

function workerCountOrExit(flags: StartFlags): number {
  try {
    return resolveWorkerCount(flags.num_workers ?? flags.numWorkers, process.env);
  } catch (err) {
    if (!(err instanceof WorkerCountError)) throw err;
    process.stderr.write(`tollgate: ${err.message}\n`);
    process.exit(2);
  }
}

// The gateway and the queue worker are loaded only by the process that runs them: a cluster primary only
// checks, migrates and supervises, and is about 50 MB smaller without their modules.
const loadGateway = () => import('@tollgate/gateway');
const loadWorker = () => import('@tollgate/worker');

export async function runStart(flags: StartFlags): Promise<void> {
  if (cluster.isWorker) return (await import('./cluster/cluster-child')).runClusterChild(flags);
  const count = workerCountOrExit(flags);
  const config = loadOrExit(flags.config, { port: flags.port, host: flags.host });
  if (count > 1) return runClusterPrimary(config, { count, withQueueWorker: flags.withWorker === true });
  if (flags.withWorker && !(config.runtime.redisUrl && config.runtime.databaseUrl)) {
    // Without Redis and an external database the gateway already writes its own logs; say so rather than fail.
    logger.warn('--with-worker has no effect without REDIS_URL and DATABASE_URL: the gateway writes request logs itself.');
  }
  const { startGateway } = await loadGateway();
  const gateway = await startGateway(config, { redisPrefix: redisPrefix() }).catch(exitOnConfigError);
  let closeWorker: (() => Promise<void>) | undefined;
  if (flags.withWorker && config.runtime.redisUrl && config.runtime.databaseUrl) {
    const { startWorker } = await loadWorker();
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
  const { startWorker } = await loadWorker();
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
