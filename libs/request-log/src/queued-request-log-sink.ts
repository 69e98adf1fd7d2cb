import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { RequestLogEvent, RequestLogSink } from './request-log-event';
import { REQUEST_LOG_QUEUE } from './request-log-event';

export interface QueuedSinkOptions {
  redisUrl: string;
  /** BullMQ key prefix, so that several deployments (or test files) can share one Redis. */
  prefix: string;
}

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

  constructor(options: QueuedSinkOptions) {
    this.queue = new Queue(REQUEST_LOG_QUEUE, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null, enableOfflineQueue: true },
      prefix: options.prefix,
    });
    this.queue.on('error', (err) => this.reportFailure(err));
  }

  enqueue(event: RequestLogEvent): void {
    const added = this.queue.add('request', event, { ...REQUEST_LOG_JOB_OPTIONS, jobId: event.callId }).catch((err: unknown) => this.reportFailure(err));
    this.adding.add(added);
    void added.finally(() => this.adding.delete(added));
  }

  private reportFailure(err: unknown): void {
    // One line per 1,000 failures keeps a Redis outage visible without flooding the log.
    if (this.failures++ % 1000 === 0) this.logger.error(`could not queue request log: ${(err as Error).message}`);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.adding]);
    await this.queue.close();
  }
}
