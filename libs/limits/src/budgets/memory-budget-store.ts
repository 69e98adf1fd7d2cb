import { COUNTER_GRACE_MS, type BudgetStore, type CounterChange, type LiveCounterRef } from './budget-store';

interface Entry {
  period: number;
  nanos: number;
}

/** Live spend in this process, for a gateway without Redis (one replica by definition). */
export class MemoryBudgetStore implements BudgetStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async read(counters: readonly LiveCounterRef[]): Promise<number[]> {
    return counters.map((ref) => this.current(ref).nanos);
  }

  async add(counters: readonly LiveCounterRef[], nanos: number): Promise<CounterChange[]> {
    return counters.map((ref) => {
      const entry = this.current(ref);
      const before = entry.nanos;
      entry.nanos += nanos;
      return { before, after: entry.nanos };
    });
  }

  async forget(counter: string): Promise<void> {
    this.entries.delete(counter);
  }

  private current(ref: LiveCounterRef): Entry {
    this.sweep();
    let entry = this.entries.get(ref.counter);
    if (!entry || entry.period !== ref.period) {
      entry = { period: ref.period, nanos: ref.seedNanos };
      this.entries.set(ref.counter, entry);
    }
    return entry;
  }

  private lastSweep = 0;

  /** Drops counters whose period ended long ago, at most once a minute, so the map does not grow forever. */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [counter, entry] of this.entries) {
      if (entry.period !== 0 && entry.period + COUNTER_GRACE_MS < now) this.entries.delete(counter);
    }
  }
}
