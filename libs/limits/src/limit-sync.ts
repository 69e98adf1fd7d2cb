/** A store whose counters are decided in this process and exchanged with the other replicas' now and then. */
export interface SyncParticipant {
  /**
   * Sends this replica's changes since the last exchange and takes in everyone's totals. Handles its own
   * failures (keeps unsent changes for the next exchange), so it never rejects.
   */
  sync(): Promise<void>;
}

export interface LimitSyncOptions {
  /** How often the exchange runs while there is anything to exchange. */
  intervalMs: number;
}

/**
 * Runs the exchanges of the synced limit stores: every `intervalMs`, and at once (end of the current turn)
 * when a request needs a counter this replica does not hold yet. All participants exchange in the same turn,
 * so their scripts leave as one batch; exchanges never overlap, so a store's unsent changes are counted once.
 */
export class LimitSync {
  private readonly participants: SyncParticipant[] = [];
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  /** Callers waiting for an exchange that starts after they asked. */
  private waiting: (() => void)[] = [];

  constructor(private readonly options: LimitSyncOptions) {
    this.timer = setInterval(() => {
      if (!this.running) this.run();
    }, options.intervalMs);
    this.timer.unref();
  }

  get intervalMs(): number {
    return this.options.intervalMs;
  }

  register(participant: SyncParticipant): void {
    this.participants.push(participant);
  }

  /** Resolves once an exchange that started after this call has ended (whether or not it reached Redis). */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  /** Stops the timer and sends what is left; later `next` calls still run one exchange each. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.running;
    await this.next();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // The end of the turn: the other requests of this turn add their counters to the same exchange.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.running) this.run();
    });
  }

  private run(): void {
    const waiting = this.waiting;
    this.waiting = [];
    const exchange = Promise.all(this.participants.map((participant) => participant.sync())).then(() => undefined);
    this.running = exchange;
    void exchange.then(() => {
      this.running = undefined;
      for (const resolve of waiting) resolve();
      // Those who asked during this exchange may need counters it did not carry.
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
