import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationShutdown } from '@nestjs/common';
import { REQUEST_LOG_QUEUE, RequestLogBatcher, type RequestLogEvent } from '@tollgate/request-log';
import type { Job } from 'bullmq';

/**
 * Writes request-log jobs to PostgreSQL in batches. Many jobs are taken at once (high concurrency) and each
 * is acknowledged only when the batch holding it is committed; a job seen twice is skipped by call id.
 */
@Processor(REQUEST_LOG_QUEUE, { concurrency: 500 })
export class RequestLogProcessor extends WorkerHost implements OnApplicationShutdown {
  constructor(@Inject(RequestLogBatcher) private readonly batcher: RequestLogBatcher) {
    super();
  }

  process(job: Job<RequestLogEvent>): Promise<void> {
    return this.batcher.add(job.data);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.batcher.drain();
  }
}
