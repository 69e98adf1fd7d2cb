import { Logger } from '@nestjs/common';
import type { RequestLogEvent, RequestLogSink } from './request-log-event';
import type { RequestLogWriter } from './request-log-writer';

/** Events held in memory while the database is unavailable; beyond this new ones are dropped (and said so). */
const MAX_PENDING = 100_000;
/** Longest wait between two attempts at a failed batch. */
const MAX_BACKOFF_MS = 30_000;

interface Batch {
  events: RequestLogEvent[];
  attempts: number;
}

/**
 * The embedded-mode pipeline (no Redis): events are batched in this process and written by the same writer
 * the worker uses, one batch at a time. A failed batch is retried with backoff. Enqueueing is a push onto
 * an array: the request path allocates nothing per event beyond the event itself.
 */
export class InProcessRequestLogSink implements RequestLogSink {
  private readonly logger = new Logger('RequestLog');
  private waiting: RequestLogEvent[] = [];
  /** Batches whose write failed, in order, waiting for their backoff. */
  private readonly failed: Batch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  private dropped = 0;

  constructor(
    private readonly writer: RequestLogWriter,
    private readonly options = { maxBatch: 2000, maxDelayMs: 1000 },
  ) {}

  enqueue(event: RequestLogEvent): void {
    if (this.closed) return;
    if (this.backlog >= MAX_PENDING) {
      if (this.dropped++ % 1000 === 0) this.logger.error(`request log backlog full (${MAX_PENDING} events); dropping events`);
      return;
    }
    this.waiting.push(event);
    if (this.waiting.length >= this.options.maxBatch) this.writeSoon(0);
    else this.writeSoon(this.options.maxDelayMs);
  }

  /** Number of events accepted but not yet written. */
  get backlog(): number {
    return this.waiting.length + this.failed.reduce((n, b) => n + b.events.length, 0);
  }

  private writeSoon(delayMs: number): void {
    if (this.writing) return; // the running write looks for more work when it ends
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writeNext().finally(() => {
        this.writing = undefined;
        this.scheduleRemaining();
      });
    }, delayMs);
    this.timer.unref();
  }

  private scheduleRemaining(): void {
    if (this.closed) return;
    if (this.failed.length > 0) this.writeSoon(Math.min(MAX_BACKOFF_MS, 200 * 2 ** this.failed[0].attempts));
    else if (this.waiting.length >= this.options.maxBatch) this.writeSoon(0);
    else if (this.waiting.length > 0) this.writeSoon(this.options.maxDelayMs);
  }

  /** Writes the oldest failed batch, else the next batch of waiting events. */
  private async writeNext(): Promise<void> {
    const batch = this.failed.shift() ?? { events: this.waiting.splice(0, this.options.maxBatch), attempts: 0 };
    if (batch.events.length === 0) return;
    try {
      await this.writer.write(batch.events);
    } catch (error) {
      // Rows are sanitised before writing, so a failure means the database is unreachable: keep the batch and
      // retry (bounded by MAX_PENDING) for as long as the process runs; only shutdown gives up on it.
      batch.attempts++;
      if (this.closed) return this.giveUp(batch, error);
      if (batch.attempts === 1 || batch.attempts % 10 === 0) {
        this.logger.error(`could not write ${batch.events.length} request logs (attempt ${batch.attempts}), will retry: ${(error as Error).message}`);
      }
      this.failed.unshift(batch);
    }
  }

  private giveUp(batch: Batch, error: unknown): void {
    const ids = batch.events.map((e) => e.callId);
    const shown = ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
    this.logger.error(`could not write request logs ${shown} after ${batch.attempts} attempts: ${(error as Error).message}`);
  }

  /** Stops accepting events and makes one last attempt to write everything pending. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    while (this.failed.length > 0 || this.waiting.length > 0) await this.writeNext();
  }
}
