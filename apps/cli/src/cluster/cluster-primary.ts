import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { TollgateConfig } from '@tollgate/config';
import { applyMigrations, resolveDatabase } from '@tollgate/database';
import { checkStartupConfig } from '@tollgate/routing';
import { exitOnConfigError, logger } from '../startup';
import { clusterRequirementProblem } from './cluster-requirements';
import { sendToChild } from './child-ipc';
import { ROLE_ENV, SHUTDOWN_MESSAGE, type ClusterRole } from './cluster-protocol';
import { HeartbeatWatch, heartbeatTimeoutMs, type WatchedChild } from './heartbeat-watch';
import { RestartPolicy } from './restart-policy';

/**
 * How long the primary waits for its children to drain before killing them: the gateways' own drain period
 * (25 s) plus time to flush their logs and close their connections.
 */
const CHILD_SHUTDOWN_GRACE_MS = 30_000;
/** A child that exits with this code refused the configuration: restarting it cannot help. */
const CONFIG_EXIT_CODE = 2;

export interface ClusterOptions {
  /** Gateway processes to run, at least 2. */
  count: number;
  /** Also run one queue worker (`--with-worker`). */
  withQueueWorker: boolean;
}

/** One supervised place in the cluster; its process is replaced when it dies. */
interface Slot {
  label: string;
  role: ClusterRole;
  policy: RestartPolicy;
  worker?: Worker;
  startedAt: number;
  listening: boolean;
  restartTimer?: NodeJS.Timeout;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The primary process of `tollgate start --num_workers N`: refuses settings several processes cannot share,
 * applies migrations once, forks N gateways that share the listening port (node:cluster hands connections to
 * them in turn) and, with `--with-worker`, one queue worker in its own child so that a crash of either is
 * contained and restarted the same way. The primary serves no requests and opens no Redis connection, so
 * the one process whose death takes the others with it has as little as possible that can fail.
 */
export async function runClusterPrimary(config: TollgateConfig, options: ClusterOptions): Promise<void> {
  const problem = clusterRequirementProblem(options.count, config.runtime);
  if (problem) {
    process.stderr.write(`tollgate: ${problem}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
  let silenceLimitMs: number;
  try {
    silenceLimitMs = heartbeatTimeoutMs(process.env);
  } catch (err) {
    process.stderr.write(`tollgate: ${(err as Error).message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
  try {
    checkStartupConfig(config);
  } catch (err) {
    exitOnConfigError(err);
  }
  const cores = availableParallelism();
  if (options.count > cores) logger.warn(`cluster: ${options.count} gateway workers on ${cores} CPU core(s); more workers than cores adds memory, not throughput`);

  const database = await resolveDatabase(config.runtime);
  try {
    await applyMigrations(database.url, { log: (line) => logger.log(line) });
  } finally {
    await database.close();
  }
  new ClusterSupervisor(config.runtime.host, options, silenceLimitMs).start();
}

class ClusterSupervisor {
  private readonly slots: Slot[];
  private stopping = false;
  private exitCode = 0;
  private announced = false;
  /** Children already told to drain (each is told once). */
  private readonly asked = new WeakSet<Worker>();
  private readonly heartbeats: HeartbeatWatch | undefined;

  constructor(
    private readonly host: string,
    private readonly options: ClusterOptions,
    private readonly silenceLimitMs: number,
  ) {
    this.heartbeats = silenceLimitMs > 0 ? new HeartbeatWatch({ timeoutMs: silenceLimitMs, onHung: (child, silentMs) => this.onHung(child, silentMs) }) : undefined;
    const slot = (label: string, role: ClusterRole): Slot => ({ label, role, policy: new RestartPolicy(), startedAt: 0, listening: false });
    this.slots = Array.from({ length: options.count }, (_, i) => slot(`gateway worker ${i + 1}`, 'gateway'));
    if (options.withQueueWorker) this.slots.push(slot('queue worker', 'queue-worker'));
  }

  start(): void {
    cluster.on('listening', (worker, address) => this.onListening(worker, address.port));
    process.on('SIGTERM', () => this.onSignal('SIGTERM'));
    process.on('SIGINT', () => this.onSignal('SIGINT'));
    if (this.heartbeats) {
      const heartbeats = this.heartbeats;
      setInterval(() => heartbeats.tick(), HeartbeatWatch.intervalFor(this.silenceLimitMs)).unref();
    }
    for (const slot of this.slots) this.fork(slot);
  }

  /** A child whose event loop stopped answering: killed, so that its exit restarts it like a crash. */
  private onHung(child: WatchedChild, silentMs: number): void {
    const slot = this.slots.find((s) => s.worker === child);
    if (!slot?.worker || this.stopping) return;
    logger.error(`cluster: ${slot.label} (pid ${slot.worker.process.pid}) has not answered for ${seconds(silentMs)} (its event loop is blocked); killing it`);
    slot.worker.process.kill('SIGKILL');
  }

  private fork(slot: Slot): void {
    slot.restartTimer = undefined;
    slot.listening = false;
    slot.startedAt = Date.now();
    const worker = cluster.fork({ [ROLE_ENV]: slot.role });
    slot.worker = worker;
    logger.log(`cluster: started ${slot.label} (pid ${worker.process.pid})`);
    this.heartbeats?.add(worker);
    // Without a listener, an error event on a child (a failed IPC write or signal) would exit the primary.
    worker.on('error', (error) => logger.warn(`cluster: ${slot.label} (pid ${worker.process.pid}): ${error.message}`));
    worker.once('exit', (code, signal) => {
      this.heartbeats?.remove(worker);
      this.onExit(slot, worker, code, signal);
    });
  }

  private onListening(worker: Worker, port: number): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot) return;
    slot.listening = true;
    const gateways = this.slots.filter((s) => s.role === 'gateway');
    if (this.announced || !gateways.every((s) => s.listening)) return;
    this.announced = true;
    logger.log(`cluster: ${gateways.length} gateway workers on ${this.host}:${port}`);
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    if (this.stopping) return this.continueStopping();
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const uptimeMs = Date.now() - slot.startedAt;
    if (code === CONFIG_EXIT_CODE) {
      logger.error(`cluster: ${slot.label} refused the configuration (exit code ${code}); stopping`);
      return this.stop(1);
    }
    // A cluster that never came up fails like a single process would (port taken, database down...), leaving
    // retries to whatever runs it (Kubernetes' own backoff) instead of crash-looping here.
    if (!this.announced) {
      logger.error(`cluster: ${slot.label} exited with ${how} while the cluster was starting; stopping`);
      return this.stop(1);
    }
    const decision = slot.policy.onCrash(uptimeMs);
    if (decision.action === 'give-up') {
      logger.error(`cluster: ${slot.label} crashed ${decision.quickCrashes} times in a row right after starting (last: ${how}); giving up`);
      return this.stop(1);
    }
    logger.warn(`cluster: ${slot.label} (pid ${worker.process.pid}) exited with ${how} after ${seconds(uptimeMs)}; restarting in ${seconds(decision.delayMs)}`);
    slot.restartTimer = setTimeout(() => this.fork(slot), decision.delayMs);
  }

  private onSignal(signal: string): void {
    if (this.stopping) {
      logger.warn(`cluster: ${signal} received again; stopping every worker now`);
      for (const slot of this.slots) slot.worker?.process.kill('SIGKILL');
      process.exit(1);
    }
    logger.log(`cluster: ${signal} received; draining ${this.slots.filter((s) => s.worker).length} worker(s)`);
    this.stop(0);
  }

  /** Drains every child (gateways first, so the queue worker still takes their last request logs), then exits. */
  private stop(exitCode: number): void {
    this.stopping = true;
    this.exitCode = Math.max(this.exitCode, exitCode);
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    setTimeout(() => {
      logger.error(`cluster: workers still running ${seconds(CHILD_SHUTDOWN_GRACE_MS)} after shutdown began; killing them`);
      for (const slot of this.slots) slot.worker?.process.kill('SIGKILL');
      process.exit(1);
    }, CHILD_SHUTDOWN_GRACE_MS).unref();
    this.continueStopping();
  }

  private continueStopping(): void {
    const live = this.slots.filter((s) => s.worker);
    if (live.length === 0) process.exit(this.exitCode);
    const gatewaysLeft = live.some((s) => s.role === 'gateway');
    for (const slot of live) {
      if (slot.role === 'queue-worker' && gatewaysLeft) continue;
      const worker = slot.worker as Worker;
      if (this.asked.has(worker)) continue;
      this.asked.add(worker);
      const terminate = () => worker.process.kill('SIGTERM');
      if (worker.isConnected()) sendToChild(worker, SHUTDOWN_MESSAGE, terminate);
      else terminate();
    }
  }
}
