import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationShutdown } from '@nestjs/common';
import { eventsOfJob, REQUEST_LOG_QUEUE, RequestLogBatcher, type RequestLogJobData } from '@tollgate/request-log';
import type { Job } from 'bullmq';

/**
 * Writes request-log jobs to PostgreSQL in batches. Many jobs are taken at once (high concurrency) and each
 * is acknowledged only when every event it carries is committed; an event seen twice (a job retried after
 * a partial failure, or replayed after a crash) is skipped by call id, so it is written and counted once.
 * Jobs carry a batch of events, or one event when queued by a gateway from before batching.
 */
@Processor(REQUEST_LOG_QUEUE, { concurrency: 500 })
export class RequestLogProcessor extends WorkerHost implements OnApplicationShutdown {
  constructor(@Inject(RequestLogBatcher) private readonly batcher: RequestLogBatcher) {
    super();
  }

  async process(job: Job<RequestLogJobData>): Promise<void> {
    await Promise.all(eventsOfJob(job.data).map((event) => this.batcher.add(event)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.batcher.drain();
  }
}
