import { randomUUID } from 'node:crypto';
import type { RedisScriptBatch } from '@tollgate/kv';
import type Redis from 'ioredis';
import { DEFAULT_IDLE_REFRESH_MS, HeldCounterTiming } from './held-counter-timing';
import { limitScriptBatch } from './limit-script-batch';
import type { LimitSync, SyncParticipant } from './limit-sync';
import type { AdmitCommand, AdmitOutcome, CounterCheck, CounterUsage, RateLimitStore, SettleCommand } from './rate-limit-store';

export interface SyncedRateLimitStoreOptions {
  /** A connection the caller owns (and closes). */
  client: Redis;
  /** Prefix of every key, e.g. "tollgate:"; the store adds "rl:" (the same keys as RedisRateLimitStore). */
  prefix: string;
  sync: LimitSync;
  /**
   * How long another replica's running requests count after its last exchange, so a dead replica's vanish.
   * Default 10 s, or 20 intervals if longer.
   */
  slotLeaseMs?: number;
  /** How often a held counter unused since its last exchange is read again. Default 100 ms. */
  idleRefreshMs?: number;
  /** Estimated Redis time; injectable for tests. Default `Date.now` corrected by the clock Redis reports. */
  now?: () => number;
}

/** A counter this replica uses: the totals of the last exchange plus what this replica did since. */
interface Counter {
  name: string;
  /** The rpm/tpm window length of the admissions that use it. */
  windowMs: number;
  /** False until an exchange brought the other replicas' totals: an admission waits for that. */
  known: boolean;
  /** Start of the window counted in (Redis clock), -1 for none. */
  start: number;
  /** Set when this replica opened the window itself and no exchange has told it the shared one yet. */
  openedHere: boolean;
  /** Window starts this counter used before an exchange replaced them; settlements may still name them. */
  formerStart: number;
  requests: number;
  tokens: number;
  /** This replica's changes since the last exchange. */
  unsentRequests: number;
  unsentTokens: number;
  /** Changes on their way to Redis in the running exchange: still counted here until its reply. */
  sendingRequests: number;
  sendingTokens: number;
  /** This replica's running requests (parallel slots) on this counter. */
  slots: Set<string>;
  /** Whether the counter has a parallel limit (then its slots are exchanged). */
  parallel: boolean;
  /** Running requests of the other replicas, as of the last exchange. */
  othersRunning: number;
  /** This replica's running requests as last sent (-1: never sent). */
  sentRunning: number;
  timing: HeldCounterTiming;
}

/** A counter carried by an exchange, with what was sent for it. */
interface Sent {
  counter: Counter;
  requests: number;
  tokens: number;
  ownRunning: number;
}

/** A replica's running requests are sent at least this many times per lease while unchanged, so they do not expire. */
const LEASE_RENEWALS = 4;
/** Another replica's running requests count this long after its last exchange (a dead replica's vanish then). */
const MIN_SLOT_LEASE_MS = 10_000;
const NO_WINDOW = -1;

/**
 * Rate limits decided in this process, against counters exchanged with Redis every `LimitSync` interval
 * (LiteLLM's multi-instance limiter works the same way). An admission costs no round trip once its counters
 * are held; the first use of a counter (or its first after a second unused) waits for one exchange.
 * An exchange carries the counters used or changed since the previous one, and the other held counters every
 * `idleRefreshMs`, so its size follows the traffic rather than the number of keys. The price: a replica does
 * not see what the others admitted since its last exchange of a counter, so a limit can be overshot by about
 * (replicas - 1) x the requests one replica admits per interval (per `idleRefreshMs` for a counter it had left
 * unused).
 */
export class SyncedRateLimitStore implements RateLimitStore, SyncParticipant {
  private readonly scripts: RedisScriptBatch;
  private readonly prefix: string;
  private readonly replicaId = randomUUID();
  private readonly slotLeaseMs: number;
  private readonly idleRefreshMs: number;
  private readonly counters = new Map<string, Counter>();
  private readonly now: () => number;
  /** Redis time minus this process's time, from the last exchange. */
  private clockOffset = 0;
  private lastFailure: Error | undefined;

  constructor(private readonly options: SyncedRateLimitStoreOptions) {
    this.scripts = limitScriptBatch(options.client);
    this.prefix = `${options.prefix}rl:`;
    this.slotLeaseMs = options.slotLeaseMs ?? Math.max(MIN_SLOT_LEASE_MS, 20 * options.sync.intervalMs);
    this.idleRefreshMs = options.idleRefreshMs ?? DEFAULT_IDLE_REFRESH_MS;
    this.now = options.now ?? (() => Date.now() + this.clockOffset);
    options.sync.register(this);
  }

  async admit(command: AdmitCommand): Promise<AdmitOutcome> {
    const { checks } = command;
    const counters: Counter[] = [];
    let unknown = false;
    for (let index = 0; index < checks.length; index++) {
      const counter = this.counterOf(checks[index], command.windowMs);
      counters.push(counter);
      if (!counter.known) unknown = true;
    }
    if (unknown) {
      await this.options.sync.next();
      // An exchange never drops a counter that is not known yet, so these are still the map's counters.
      for (let index = 0; index < checks.length; index++) {
        if (!counters[index].known) throw new Error(`rate-limit counters could not be read from Redis: ${this.lastFailure?.message ?? 'no reply'}`);
      }
    }
    // From here on nothing awaits: check-then-charge is atomic among this process's admissions.
    const now = this.now();
    for (let index = 0; index < checks.length; index++) {
      const check = checks[index];
      const counter = counters[index];
      counter.timing.used(now);
      if (check.rpm !== undefined || check.tpm !== undefined) {
        this.openWindowIfEnded(counter, now);
        const retryAfterMs = counter.start + counter.windowMs - now;
        if (check.rpm !== undefined && requestsOf(counter) + 1 > check.rpm) return { admitted: false, checkIndex: index, limit: 'rpm', retryAfterMs };
        if (check.tpm !== undefined && tokensOf(counter) + command.tokens > check.tpm) return { admitted: false, checkIndex: index, limit: 'tpm', retryAfterMs };
      }
      if (check.parallel !== undefined && counter.othersRunning + counter.slots.size + 1 > check.parallel) {
        return { admitted: false, checkIndex: index, limit: 'parallel', retryAfterMs: 1_000 };
      }
    }
    const usage: CounterUsage[] = [];
    for (let index = 0; index < checks.length; index++) {
      const check = checks[index];
      const counter = counters[index];
      if (check.parallel !== undefined) counter.slots.add(command.slotId);
      if (check.rpm === undefined && check.tpm === undefined) {
        usage.push({ requests: 0, tokens: 0, resetInMs: 0 });
        continue;
      }
      counter.unsentRequests += 1;
      counter.unsentTokens += command.tokens;
      usage.push({ windowStart: counter.start, requests: requestsOf(counter), tokens: tokensOf(counter), resetInMs: counter.start + counter.windowMs - now });
    }
    return { admitted: true, usage };
  }

  async settle(command: SettleCommand): Promise<void> {
    const delta = command.tokenDelta;
    for (const { counter: name, windowStart } of command.reservations) {
      let counter = this.counters.get(name);
      if (!counter) {
        // Dropped while its request ran (a long stream on a scope left otherwise unused): the correction still
        // goes to Redis, against the window it names, as RedisRateLimitStore would apply it.
        counter = this.counterOf({ counter: name }, command.windowMs);
        counter.start = windowStart;
      }
      const sameWindow = counter.start !== NO_WINDOW && (windowStart === counter.start || windowStart === counter.formerStart);
      if (sameWindow) {
        counter.unsentTokens += delta;
        counter.unsentRequests += command.requestDelta;
      } else if (delta > 0) counter.unsentTokens += delta;
    }
    for (const name of command.slotCounters) this.counters.get(name)?.slots.delete(command.slotId);
  }

  async sync(): Promise<void> {
    const now = this.now();
    const sent: Sent[] = [];
    const keys: string[] = [];
    const args: (string | number)[] = [this.replicaId, this.slotLeaseMs];
    for (const counter of this.counters.values()) {
      const running = counter.slots.size;
      const unsent = counter.unsentRequests !== 0 || counter.unsentTokens !== 0;
      if (counter.known && !unsent && running === 0 && counter.sentRunning <= 0 && counter.timing.idle(now)) {
        this.counters.delete(counter.name);
        continue;
      }
      const due =
        !counter.known ||
        unsent ||
        counter.timing.due(now, running > 0 ? Math.min(this.idleRefreshMs, this.slotLeaseMs / LEASE_RENEWALS) : this.idleRefreshMs) ||
        (counter.parallel && running !== counter.sentRunning);
      if (!due) continue;
      counter.timing.sent(now);
      if (counter.parallel) counter.sentRunning = running;
      const item: Sent = { counter, requests: counter.unsentRequests, tokens: counter.unsentTokens, ownRunning: counter.parallel ? running : -1 };
      sent.push(item);
      keys.push(`${this.prefix}w:${counter.name}`, `${this.prefix}p:${counter.name}`);
      args.push(counter.windowMs, counter.openedHere || counter.start === NO_WINDOW ? 0 : counter.start, item.requests, item.tokens, item.ownRunning);
      counter.sendingRequests = item.requests;
      counter.sendingTokens = item.tokens;
      counter.unsentRequests = 0;
      counter.unsentTokens = 0;
    }
    if (sent.length === 0) return;
    let reply: number[];
    try {
      reply = ((await this.scripts.run('rateLimitSync', keys, args)) as (string | number)[]).map(Number);
    } catch (error) {
      // Kept for the next exchange: nothing this replica counted is lost while Redis is away.
      for (const { counter } of sent) {
        counter.unsentRequests += counter.sendingRequests;
        counter.unsentTokens += counter.sendingTokens;
        counter.sendingRequests = 0;
        counter.sendingTokens = 0;
        counter.timing.sendFailed();
        counter.sentRunning = -1;
      }
      this.lastFailure = error instanceof Error ? error : new Error(String(error));
      return;
    }
    this.clockOffset = reply[0] - Date.now();
    sent.forEach((item, index) => {
      const [start, requests, tokens, running] = reply.slice(1 + index * 4, 5 + index * 4);
      const counter = item.counter;
      counter.known = true;
      // The reply's totals include what this exchange carried.
      counter.sendingRequests = 0;
      counter.sendingTokens = 0;
      if (start !== NO_WINDOW && this.now() - start < counter.windowMs) {
        if (counter.start !== start) counter.formerStart = counter.start;
        counter.start = start;
        counter.openedHere = false;
        counter.requests = requests;
        counter.tokens = tokens;
      } else if (!counter.openedHere) {
        // No shared window: whatever this replica counts from now on opens one.
        counter.start = NO_WINDOW;
        counter.requests = 0;
        counter.tokens = 0;
      } // else this replica opened a window after the exchange left (the shared one has ended): it counts on in it

      if (item.ownRunning >= 0) counter.othersRunning = Math.max(0, running - item.ownRunning);
    });
  }

  private counterOf(check: CounterCheck, windowMs: number): Counter {
    let counter = this.counters.get(check.counter);
    if (!counter) {
      counter = {
        name: check.counter,
        windowMs,
        known: false,
        start: NO_WINDOW,
        openedHere: false,
        formerStart: NO_WINDOW,
        requests: 0,
        tokens: 0,
        unsentRequests: 0,
        unsentTokens: 0,
        sendingRequests: 0,
        sendingTokens: 0,
        slots: new Set(),
        parallel: false,
        othersRunning: 0,
        sentRunning: -1,
        timing: new HeldCounterTiming(this.now()),
      };
      this.counters.set(check.counter, counter);
    }
    counter.windowMs = windowMs;
    if (check.parallel !== undefined) counter.parallel = true;
    return counter;
  }

  /**
   * Opens a window here when none is open. Unsent changes of a window that ended are dropped, as Redis would
   * drop them; extra tokens settled while no window was open count in the new one.
   */
  private openWindowIfEnded(counter: Counter, now: number): void {
    if (counter.start !== NO_WINDOW && now - counter.start < counter.windowMs) return;
    if (counter.start !== NO_WINDOW) {
      counter.unsentRequests = 0;
      counter.unsentTokens = 0;
      counter.sendingRequests = 0;
      counter.sendingTokens = 0;
    }
    counter.formerStart = counter.start;
    counter.start = now;
    counter.openedHere = true;
    counter.requests = 0;
    counter.tokens = 0;
  }
}

function requestsOf(counter: Counter): number {
  return Math.max(0, counter.requests + counter.sendingRequests + counter.unsentRequests);
}

function tokensOf(counter: Counter): number {
  return Math.max(0, counter.tokens + counter.sendingTokens + counter.unsentTokens);
}
