import { Logger } from '@nestjs/common';
import { RequestLogBatcher } from './request-log-batcher';
import type { RequestLogEvent, RequestLogSink } from './request-log-event';
import type { RequestLogWriter } from './request-log-writer';

const MAX_ATTEMPTS = 5;
/** Events held in memory while the database is unavailable; beyond this the oldest are dropped (and said so). */
const MAX_PENDING = 100_000;

/**
 * The embedded-mode pipeline (no Redis): events are batched in this process and written by the same writer
 * the worker uses. Failed writes are retried with backoff; the request path never waits for any of it.
 */
export class InProcessRequestLogSink implements RequestLogSink {
  private readonly logger = new Logger('RequestLog');
  private readonly batcher: RequestLogBatcher;
  private pending = 0;
  private closed = false;
  private dropped = 0;

  constructor(writer: RequestLogWriter, options = { maxBatch: 500, maxDelayMs: 200 }) {
    this.batcher = new RequestLogBatcher((events) => writer.write(events), options);
  }

  enqueue(event: RequestLogEvent): void {
    if (this.closed) return;
    if (this.pending >= MAX_PENDING) {
      if (this.dropped++ % 1000 === 0) this.logger.error(`request log backlog full (${MAX_PENDING}); dropping events`);
      return;
    }
    this.pending++;
    void this.deliver(event, 1);
  }

  private async deliver(event: RequestLogEvent, attempt: number): Promise<void> {
    try {
      await this.batcher.add(event);
      this.pending--;
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || this.closed) {
        this.pending--;
        this.logger.error(`could not write request log ${event.callId} after ${attempt} attempts: ${(error as Error).message}`);
        return;
      }
      const delay = 200 * 2 ** attempt;
      setTimeout(() => void this.deliver(event, attempt + 1), delay).unref();
    }
  }

  /** Number of events accepted but not yet written. */
  get backlog(): number {
    return this.pending;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.batcher.drain();
  }
}
