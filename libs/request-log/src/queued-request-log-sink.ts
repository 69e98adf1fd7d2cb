import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { RequestLogEvent, RequestLogSink } from './request-log-event';
import { REQUEST_LOG_QUEUE } from './request-log-event';

export interface QueuedSinkOptions {
  redisUrl: string;
  /** BullMQ key prefix, so that several deployments (or test files) can share one Redis. */
  prefix: string;
}

/** BullMQ's key prefix for an installation's Redis prefix (gateway and worker must agree). */
export function queuePrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/** The Redis prefix when none is configured. */
export const DEFAULT_REDIS_PREFIX = 'tollgate';

/** Job options shared by producer and tests: the call id is the job id, so a re-sent event is one job. */
export const REQUEST_LOG_JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: 10_000,
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
} as const;

/**
 * Redis-mode pipeline: each event becomes a BullMQ job, durable in Redis until `tollgate worker` writes it,
 * so a worker that is down loses nothing. Enqueueing is fire-and-forget for the request path.
 */
export class QueuedRequestLogSink implements RequestLogSink {
  private readonly logger = new Logger('RequestLog');
  private readonly queue: Queue;
  private readonly adding = new Set<Promise<unknown>>();
  private failures = 0;

  /** Most events waiting for Redis; beyond this (Redis down for long) new ones are dropped, and said so. */
  private static readonly MAX_PENDING = 50_000;
  /** How long close() waits for events still waiting for Redis before giving up on them. */
  private static readonly CLOSE_TIMEOUT_MS = 5_000;
  private dropped = 0;

  constructor(options: QueuedSinkOptions) {
    this.queue = new Queue(REQUEST_LOG_QUEUE, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null, enableOfflineQueue: true },
      prefix: options.prefix,
    });
    this.queue.on('error', (err) => this.reportFailure(err));
  }

  enqueue(event: RequestLogEvent): void {
    if (this.adding.size >= QueuedRequestLogSink.MAX_PENDING) {
      if (this.dropped++ % 1000 === 0) this.logger.error(`Redis unavailable: ${QueuedRequestLogSink.MAX_PENDING} request logs waiting; dropping new ones`);
      return;
    }
    const added = this.queue.add('request', event, { ...REQUEST_LOG_JOB_OPTIONS, jobId: event.callId }).catch((err: unknown) => this.reportFailure(err));
    this.adding.add(added);
    void added.finally(() => this.adding.delete(added));
  }

  private reportFailure(err: unknown): void {
    // One line per 1,000 failures keeps a Redis outage visible without flooding the log.
    if (this.failures++ % 1000 === 0) this.logger.error(`could not queue request log: ${(err as Error).message}`);
  }

  /** Waits (boundedly) for events still on their way to Redis, then disconnects; never hangs on a dead Redis. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), QueuedRequestLogSink.CLOSE_TIMEOUT_MS);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.adding]).then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.error(`Redis unavailable at shutdown: ${this.adding.size} request logs could not be queued`);
      // close() on a connection that never became ready drops the socket without waiting for Redis.
      void this.queue.close().catch(() => undefined);
      return;
    }
    await this.queue.close();
  }
}
