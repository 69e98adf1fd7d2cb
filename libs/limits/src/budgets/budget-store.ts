/** A live spend counter as the store sees it. */
export interface LiveCounterRef {
  counter: string;
  /** End of the counter's current period (0: never resets). A counter holding another period restarts at `seedNanos`. */
  period: number;
  seedNanos: number;
}

/** A counter's value around an addition, in nano-USD. */
export interface CounterChange {
  before: number;
  after: number;
}

/**
 * Live spend per budget owner, shared by every replica (Redis) or held by this process (memory). Values are
 * integer nano-USD: exact to 10^-9 USD, far below any budget's precision, and integers add atomically in Redis.
 */
export interface BudgetStore {
  /** The counters' values for their current periods, starting a counter at its seed when it has none. */
  read(counters: readonly LiveCounterRef[]): Promise<number[]>;
  /** Adds `nanos` to each counter (seeding it first as `read` does), atomically per call. */
  add(counters: readonly LiveCounterRef[], nanos: number): Promise<CounterChange[]>;
  /** Drops an owner's counter, so it is seeded again from the database (after an administrator edits spend). */
  forget(counter: string): Promise<void>;
}

/** Counters are kept a day past their period so a late addition still finds them, then expire. */
export const COUNTER_GRACE_MS = 86_400_000;
