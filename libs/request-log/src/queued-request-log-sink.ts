import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { RequestLogEvent, RequestLogSink } from './request-log-event';
import { REQUEST_LOG_QUEUE } from './request-log-event';
import { REQUEST_LOG_BATCH_JOB, type RequestLogBatchJob } from './request-log-job';

export interface QueuedSinkOptions {
  redisUrl: string;
  /** BullMQ key prefix, so that several deployments (or test files) can share one Redis. */
  prefix: string;
  /** Most events in one job (default 200). */
  maxBatch?: number;
  /** Longest an event waits for its batch before the job is added, in milliseconds (default 100). */
  maxDelayMs?: number;
}

/** BullMQ's key prefix for an installation's Redis prefix (gateway and worker must agree). */
export function queuePrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/** The Redis prefix when none is configured. */
export const DEFAULT_REDIS_PREFIX = 'tollgate';

/**
 * Job options shared by producer and tests. A job may be delivered again (worker crash between commit and
 * acknowledgement, retries): the writer skips call ids already written, so a replay adds nothing.
 */
export const REQUEST_LOG_JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: 10_000,
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
} as const;

const DEFAULT_MAX_BATCH = 200;
/*
 * A job costs Redis and the worker about the same whatever it carries (adding, fetching and completing it
 * are three Lua scripts and their bookkeeping). At 10 ms, requests sent one at a time made jobs of 2-3
 * events, and Redis and the worker spent 0.69 ms of CPU per request on the same cores as the gateway; at
 * 100 ms, 0.24 ms. Limits and budgets are unaffected (they are counted in Redis on the request path); only
 * the request-log rows reach the database up to this much later.
 */
const DEFAULT_MAX_DELAY_MS = 100;

/**
 * Redis-mode pipeline: events are gathered for up to 100 ms and added as one BullMQ job per batch,
 * durable in Redis until `tollgate worker` writes it, so a worker that is down loses nothing. Enqueueing is
 * a push onto an array; the Redis command is sent once per batch, off the request path.
 */
export class QueuedRequestLogSink implements RequestLogSink {
  private readonly logger = new Logger('RequestLog');
  private readonly queue: Queue;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private waiting: RequestLogEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly adding = new Set<Promise<unknown>>();
  /** Events accepted and not yet in Redis: waiting for their batch, or in a job being added. */
  private pending = 0;
  private failures = 0;
  private closed = false;

  /** Most events waiting for Redis; beyond this (Redis down for long) new ones are dropped, and said so. */
  private static readonly MAX_PENDING = 50_000;
  /** How long close() waits for events still waiting for Redis before giving up on them. */
  private static readonly CLOSE_TIMEOUT_MS = 5_000;
  private dropped = 0;

  constructor(options: QueuedSinkOptions) {
    this.maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
    this.queue = new Queue(REQUEST_LOG_QUEUE, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null, enableOfflineQueue: true },
      prefix: options.prefix,
    });
    this.queue.on('error', (err) => this.reportFailure(err));
  }

  enqueue(event: RequestLogEvent): void {
    if (this.closed) return;
    if (this.pending >= QueuedRequestLogSink.MAX_PENDING) {
      if (this.dropped++ % 1000 === 0) this.logger.error(`Redis unavailable: ${QueuedRequestLogSink.MAX_PENDING} request logs waiting; dropping new ones`);
      return;
    }
    this.pending++;
    this.waiting.push(event);
    if (this.waiting.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  /** Events accepted but not yet stored in Redis. */
  get backlog(): number {
    return this.pending;
  }

  /** Adds the waiting events as one job. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    const events = this.waiting;
    this.waiting = [];
    const data: RequestLogBatchJob = { events };
    const added = this.queue
      .add(REQUEST_LOG_BATCH_JOB, data, REQUEST_LOG_JOB_OPTIONS)
      .catch((err: unknown) => this.reportFailure(err))
      .finally(() => {
        this.pending -= events.length;
        this.adding.delete(added);
      });
    this.adding.add(added);
  }

  private reportFailure(err: unknown): void {
    // One line per 1,000 failures keeps a Redis outage visible without flooding the log.
    if (this.failures++ % 1000 === 0) this.logger.error(`could not queue request logs: ${(err as Error).message}`);
  }

  /** Adds what is waiting, waits (boundedly) for it to reach Redis, then disconnects; never hangs on a dead Redis. */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), QueuedRequestLogSink.CLOSE_TIMEOUT_MS);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.adding]).then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.error(`Redis unavailable at shutdown: ${this.pending} request logs could not be queued`);
      // close() on a connection that never became ready drops the socket without waiting for Redis.
      void this.queue.close().catch(() => undefined);
      return;
    }
    await this.queue.close();
  }
}
