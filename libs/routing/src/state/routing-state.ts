import { randomUUID } from 'node:crypto';
import { OutageLog, type WarningLogger } from './outage-log';
import type { LatencyKind, LatencySample, LatencyWindow, ReserveOrder, RoutingStateStore, UsageLimits, UsageReservation } from './routing-state-store';

export interface RoutingStateOptions {
  store: RoutingStateStore;
  /** How often the local picture of in-flight counts and latencies is re-read from the store. Default 500 ms. */
  refreshMs?: number;
  now?: () => number;
  /** Where store outages are reported (at most once a minute). Default: Nest's logger. */
  logger?: WarningLogger;
}

/** An attempt counted in flight, to be handed back to `attemptEnded`. */
export interface AttemptTicket {
  readonly deploymentId: string;
  readonly attemptId: string;
}

export const DEFAULT_REFRESH_MS = 500;
/** Bounds the latency samples kept per deployment while the store is unreachable. */
const MAX_LOCAL_SAMPLES = 1_000;

/** Changes this replica made, per key, since some read of the store. */
class LocalChanges<T> {
  private byKey = new Map<string, T[]>();

  add(key: string, change: T): void {
    const changes = this.byKey.get(key);
    if (changes) changes.push(change);
    else this.byKey.set(key, [change]);
  }

  of(key: string): readonly T[] {
    return this.byKey.get(key) ?? [];
  }

  /** Hands over everything recorded so far and starts empty. */
  take(): Map<string, T[]> {
    const taken = this.byKey;
    this.byKey = new Map();
    return taken;
  }
}

/**
 * The routing state as this replica sees it, read synchronously on the request path: the store's answer at
 * the last background refresh, plus this replica's own changes since (so its own burst of requests is seen
 * at once, and nothing is counted twice). Only what some strategy has asked about is refreshed, so a
 * strategy that never reads shared state (simple-shuffle) causes no store traffic at all.
 *
 * Writes (attempt start/end, latency samples, token settlement) are fire-and-forget: they never reject and
 * never block; a store outage is logged at most once a minute and routing continues on the local picture.
 * Usage reservation is the exception: it must be atomic across replicas, so it goes to the store and is awaited.
 */
export class RoutingState {
  readonly store: RoutingStateStore;
  private readonly refreshMs: number;
  private readonly now: () => number;
  private readonly outages: OutageLog;
  private readonly replicaId = randomUUID();
  private attempts = 0;
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private stopped = false;
  private firstReadQueued = false;

  private readonly watchedInFlight = new Set<string>();
  private readonly watchedLatency = new Map<LatencyKind, { ids: Set<string>; window: LatencyWindow }>();

  private inFlightBase = new Map<string, number>();
  /** Changes sent before the read now under way (that read will include them). */
  private inFlightPending = new Map<string, number[]>();
  private readonly inFlightRecent = new LocalChanges<number>();

  private latencyBase = new Map<string, LatencySample[]>();
  private latencyPending = new Map<string, LatencySample[]>();
  private readonly latencyRecent = new LocalChanges<LatencySample>();

  constructor(options: RoutingStateOptions) {
    this.store = options.store;
    this.refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
    this.now = options.now ?? Date.now;
    this.outages = new OutageLog(options.logger, this.now);
  }

  /** Attempts in flight on the deployment, on every replica, as last seen plus this replica's changes since. */
  inFlight(deploymentId: string): number {
    this.watch(this.watchedInFlight, deploymentId);
    let count = this.inFlightBase.get(deploymentId) ?? 0;
    for (const delta of this.inFlightPending.get(deploymentId) ?? []) count += delta;
    for (const delta of this.inFlightRecent.of(deploymentId)) count += delta;
    return Math.max(0, count);
  }

  /** Counts an attempt in flight (on every replica) until `attemptEnded`, or at most `leaseMs`. */
  attemptStarted(deploymentId: string, leaseMs: number): AttemptTicket {
    const ticket = { deploymentId, attemptId: `${this.replicaId}:${++this.attempts}` };
    this.inFlightRecent.add(deploymentId, 1);
    this.fireAndForget(() => this.store.beginAttempt(deploymentId, ticket.attemptId, leaseMs));
    return ticket;
  }

  attemptEnded(ticket: AttemptTicket): void {
    this.inFlightRecent.add(ticket.deploymentId, -1);
    this.fireAndForget(() => this.store.endAttempt(ticket.deploymentId, ticket.attemptId));
  }

  /** Recent latencies (ms, newest first) of the deployment, from every replica. */
  latencies(deploymentId: string, kind: LatencyKind, window: LatencyWindow): number[] {
    let watched = this.watchedLatency.get(kind);
    if (!watched) this.watchedLatency.set(kind, (watched = { ids: new Set(), window }));
    watched.window = window;
    this.watch(watched.ids, deploymentId);
    const key = latencyKey(kind, deploymentId);
    const oldest = this.now() - window.ttlMs;
    const newestFirst = [...this.latencyRecent.of(key)].reverse();
    newestFirst.push(...[...(this.latencyPending.get(key) ?? [])].reverse(), ...(this.latencyBase.get(key) ?? []));
    return newestFirst
      .filter((sample) => sample.at > oldest)
      .slice(0, window.keep)
      .map((sample) => sample.ms);
  }

  recordLatency(deploymentId: string, kind: LatencyKind, ms: number, window: LatencyWindow): void {
    this.latencyRecent.add(latencyKey(kind, deploymentId), { at: this.now(), ms });
    this.fireAndForget(() => this.store.addLatency(deploymentId, kind, ms, window));
  }

  /** Atomic across replicas (see `RoutingStateStore.reserve`); rejects when the store is unreachable. */
  reserve(candidates: readonly UsageLimits[], tokens: number, order: ReserveOrder): Promise<UsageReservation | undefined> {
    return this.store.reserve(candidates, tokens, order);
  }

  settle(reservation: UsageReservation, actualTokens: number): void {
    this.fireAndForget(() => this.store.settle(reservation, actualTokens));
  }

  /** Reports a store failure the caller handled itself (at most once a minute). */
  reportOutage(error: unknown): void {
    this.outages.report(error);
  }

  /**
   * Re-reads everything watched. Runs after any refresh already under way, so its answer includes every
   * change made before the call. Never rejects.
   */
  refresh(): Promise<void> {
    const next = (this.refreshing ?? Promise.resolve()).then(() => this.readOnce());
    this.refreshing = next;
    void next.finally(() => {
      if (this.refreshing === next) this.refreshing = undefined;
    });
    return next;
  }

  /** Stops the background refresh (writes already sent still complete). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private watch(ids: Set<string>, deploymentId: string): void {
    if (ids.has(deploymentId)) return;
    ids.add(deploymentId);
    if (this.stopped) return;
    // Deployments seen for the first time are read at once rather than at the next tick: one read for all
    // those a pick asked about (the microtask runs once the pick is done).
    if (!this.firstReadQueued) {
      this.firstReadQueued = true;
      queueMicrotask(() => {
        this.firstReadQueued = false;
        void this.refresh();
      });
    }
    this.startRefreshing();
  }

  private startRefreshing(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => {
      if (!this.refreshing) void this.refresh();
    }, this.refreshMs);
    this.timer.unref();
  }

  private async readOnce(): Promise<void> {
    this.inFlightPending = mergeInto(this.inFlightPending, this.inFlightRecent.take());
    this.latencyPending = mergeInto(this.latencyPending, this.latencyRecent.take());
    const inFlightIds = [...this.watchedInFlight];
    const latencyReads = [...this.watchedLatency].map(([kind, { ids, window }]) => ({ kind, ids: [...ids], window }));
    // Until a read covers a deployment, this replica's changes to it are kept on top of the old picture.
    const inFlightBase = new Map(this.inFlightBase);
    for (const [id, deltas] of this.inFlightPending) inFlightBase.set(id, deltas.reduce((sum, delta) => sum + delta, inFlightBase.get(id) ?? 0));
    const latencyBase = new Map(this.latencyBase);
    for (const [key, added] of this.latencyPending) {
      latencyBase.set(key, [...[...added].reverse(), ...(latencyBase.get(key) ?? [])].slice(0, MAX_LOCAL_SAMPLES));
    }
    try {
      const [counts, ...samples] = await Promise.all([
        inFlightIds.length > 0 ? this.store.inFlight(inFlightIds) : new Map<string, number>(),
        ...latencyReads.map(({ kind, ids, window }) => this.store.latencies(ids, kind, window)),
      ]);
      for (const [id, count] of counts) inFlightBase.set(id, count);
      latencyReads.forEach(({ kind }, index) => {
        for (const [id, list] of samples[index]) latencyBase.set(latencyKey(kind, id), list);
      });
    } catch (error) {
      this.outages.report(error);
    }
    this.inFlightBase = inFlightBase;
    this.latencyBase = latencyBase;
    this.inFlightPending = new Map();
    this.latencyPending = new Map();
  }

  private fireAndForget(write: () => Promise<unknown>): void {
    // Refreshes also fold this replica's changes into its picture, so they do not pile up between reads.
    this.startRefreshing();
    try {
      write().catch((error: unknown) => this.outages.report(error));
    } catch (error) {
      this.outages.report(error);
    }
  }
}

function latencyKey(kind: LatencyKind, deploymentId: string): string {
  return `${kind}:${deploymentId}`;
}

/** Appends `later`'s changes after `earlier`'s, per key. */
function mergeInto<T>(earlier: Map<string, T[]>, later: Map<string, T[]>): Map<string, T[]> {
  for (const [key, changes] of later) {
    const existing = earlier.get(key);
    if (existing) existing.push(...changes);
    else earlier.set(key, changes);
  }
  return earlier;
}
