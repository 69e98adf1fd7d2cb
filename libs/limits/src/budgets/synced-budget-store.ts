import type { RedisScriptBatch } from '@tollgate/kv';
import type Redis from 'ioredis';
import { DEFAULT_IDLE_REFRESH_MS, HeldCounterTiming } from '../held-counter-timing';
import { limitScriptBatch } from '../limit-script-batch';
import type { LimitSync, SyncParticipant } from '../limit-sync';
import { budgetScriptCall, budgetScriptChanges } from './budget-script';
import { COUNTER_GRACE_MS, type BudgetStore, type CounterChange, type LiveCounterRef } from './budget-store';

export interface SyncedBudgetStoreOptions {
  /** A connection the caller owns (and closes). */
  client: Redis;
  /** Prefix of every key, e.g. "tollgate:"; the store adds "spend:" (the same keys as RedisBudgetStore). */
  prefix: string;
  sync: LimitSync;
  /** How often a held counter unused since its last exchange is read again. Default 100 ms. */
  idleRefreshMs?: number;
  now?: () => number;
}

/** An addition waiting for the exchange that carries it, to learn where it landed in the shared total. */
interface WaitingAddition {
  nanos: number;
  resolve: (change: CounterChange) => void;
  reject: (error: Error) => void;
}

interface Counter {
  ref: LiveCounterRef;
  /** False until an exchange brought the shared value: a read waits for that. */
  known: boolean;
  /** The shared value after the last exchange. */
  nanos: number;
  unsent: number;
  /** Spend on its way to Redis in the running exchange: still counted here until its reply. */
  sending: number;
  additions: WaitingAddition[];
  timing: HeldCounterTiming;
}

interface Sent {
  counter: Counter;
  amount: number;
  additions: WaitingAddition[];
}


/**
 * Live spend read from this process, exchanged with Redis every `LimitSync` interval: a budget check costs
 * no round trip once its counters are held. An exchange carries the counters used or added to since the
 * previous one, and the other held counters every `idleRefreshMs`. Each addition still learns exactly where
 * it landed in the shared total (its promise resolves after the exchange), so a threshold crossing is
 * reported once across replicas. The price: a replica sees the others' spend up to one interval late (up to
 * `idleRefreshMs` for a counter it has not used since its last exchange).
 */
export class SyncedBudgetStore implements BudgetStore, SyncParticipant {
  private readonly client: Redis;
  private readonly scripts: RedisScriptBatch;
  private readonly prefix: string;
  private readonly counters = new Map<string, Counter>();
  private readonly now: () => number;
  private readonly idleRefreshMs: number;
  private lastFailure: Error | undefined;

  constructor(private readonly options: SyncedBudgetStoreOptions) {
    this.client = options.client;
    this.scripts = limitScriptBatch(options.client);
    this.prefix = `${options.prefix}spend:`;
    this.now = options.now ?? Date.now;
    this.idleRefreshMs = options.idleRefreshMs ?? DEFAULT_IDLE_REFRESH_MS;
    options.sync.register(this);
  }

  async read(refs: readonly LiveCounterRef[]): Promise<number[]> {
    let counters = refs.map((ref) => this.counterOf(ref));
    if (counters.some((counter) => !counter.known)) {
      await this.options.sync.next();
      counters = refs.map((ref) => this.counterOf(ref));
      if (counters.some((counter) => !counter.known)) {
        throw new Error(`live spend could not be read from Redis: ${this.lastFailure?.message ?? 'no reply'}`);
      }
    }
    return counters.map((counter) => counter.nanos + counter.sending + counter.unsent);
  }

  add(refs: readonly LiveCounterRef[], nanos: number): Promise<CounterChange[]> {
    const amount = Math.round(nanos);
    return Promise.all(
      refs.map(
        (ref) =>
          new Promise<CounterChange>((resolve, reject) => {
            const counter = this.counterOf(ref);
            counter.unsent += amount;
            counter.additions.push({ nanos: amount, resolve, reject });
          }),
      ),
    );
  }

  async forget(counter: string): Promise<void> {
    const held = this.counters.get(counter);
    this.counters.delete(counter);
    // Additions not sent yet belonged to the spend being reset: they are dropped with it, and told so.
    for (const addition of held?.additions ?? []) addition.reject(new Error(`live spend of ${counter} was reset`));
    await this.client.del(this.prefix + counter);
  }

  async sync(): Promise<void> {
    const now = this.now();
    const sent: Sent[] = [];
    for (const counter of this.counters.values()) {
      if (counter.known && counter.unsent === 0 && counter.additions.length === 0) {
        if (counter.timing.idle(now)) {
          this.counters.delete(counter.ref.counter);
          continue;
        }
        if (!counter.timing.due(now, this.idleRefreshMs)) continue;
      }
      counter.timing.sent(now);
      sent.push({ counter, amount: counter.unsent, additions: counter.additions });
      counter.sending = counter.unsent;
      counter.unsent = 0;
      counter.additions = [];
    }
    if (sent.length === 0) return;
    const { keys, args } = budgetScriptCall(
      sent.map(({ counter, amount }) => ({ key: this.prefix + counter.ref.counter, period: counter.ref.period, seedNanos: counter.ref.seedNanos, amount })),
      COUNTER_GRACE_MS,
    );
    let changes: CounterChange[];
    try {
      changes = budgetScriptChanges(await this.scripts.run('budgetCounters', keys, args), sent.length);
    } catch (error) {
      this.lastFailure = error instanceof Error ? error : new Error(String(error));
      for (const { counter, amount, additions } of sent) {
        // The spend stays counted here and goes with the next exchange; who crossed a threshold is not known.
        counter.unsent += amount;
        counter.sending = 0;
        counter.timing.sendFailed();
        for (const addition of additions) addition.reject(this.lastFailure);
      }
      return;
    }
    sent.forEach(({ counter, additions }, index) => {
      const change = changes[index];
      let before = change.before;
      // The exchange added them in one step; each learns the total as if they had been added one by one.
      for (const addition of additions) {
        addition.resolve({ before, after: before + addition.nanos });
        before += addition.nanos;
      }
      if (this.counters.get(counter.ref.counter) !== counter) return; // forgotten or restarted meanwhile
      counter.known = true;
      counter.nanos = change.after;
      counter.sending = 0;
    });
  }

  /**
   * The counter of `ref`'s period. One holding another period starts again, unknown, at the shared value;
   * what it had not sent yet goes with it (the guard adds a cost to the period it ended in).
   */
  private counterOf(ref: LiveCounterRef): Counter {
    let counter = this.counters.get(ref.counter);
    if (!counter || counter.ref.period !== ref.period) {
      counter = { ref, known: false, nanos: 0, unsent: counter?.unsent ?? 0, sending: 0, additions: counter?.additions ?? [], timing: new HeldCounterTiming(this.now()) };
      this.counters.set(ref.counter, counter);
    }
    counter.timing.used(this.now());
    return counter;
  }
}
