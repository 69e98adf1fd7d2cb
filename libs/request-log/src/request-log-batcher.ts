import type { RequestLogEvent } from './request-log-event';

export interface BatcherOptions {
  /** Flush when this many events are waiting. */
  maxBatch: number;
  /** Flush at the latest this long after the first waiting event, in milliseconds. */
  maxDelayMs: number;
}

interface Waiting {
  event: RequestLogEvent;
  settle: (error?: unknown) => void;
}

/**
 * Groups events into batches for one database write each. `add` resolves when the batch holding the event
 * is written (and rejects if the write failed), so a queue job is acknowledged only after its row exists.
 */
export class RequestLogBatcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly write: (events: RequestLogEvent[]) => Promise<unknown>,
    private readonly options: BatcherOptions,
  ) {}

  add(event: RequestLogEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ event, settle: (error) => (error ? reject(error) : resolve()) });
      if (this.waiting.length >= this.options.maxBatch) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.maxDelayMs);
    });
  }

  /** Writes what is waiting now. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return Promise.resolve();
    const batch = this.waiting;
    this.waiting = [];
    const done = this.write(batch.map((w) => w.event)).then(
      () => batch.forEach((w) => w.settle()),
      (error: unknown) => batch.forEach((w) => w.settle(error)),
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return done;
  }

  /** Flushes and waits for every write started so far. */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.all([...this.inFlight]);
  }
}
