import {
  chooseReservation,
  DEFAULT_USAGE_WINDOW_MS,
  type DeploymentUsage,
  type LatencyKind,
  type LatencySample,
  type LatencyWindow,
  type ReserveOrder,
  type RoutingStateStore,
  type UsageLimits,
  type UsageReservation,
} from './routing-state-store';

export interface MemoryRoutingStateStoreOptions {
  /** Milliseconds since the epoch; injectable so tests can move time. Default `Date.now`. */
  now?: () => number;
  /** Length of a usage window. Default one minute. */
  windowMs?: number;
}

interface UsageWindow extends DeploymentUsage {
  window: number;
}

/**
 * Routing state in this process, for running without Redis. Every method does its work before its first
 * (and only) implicit await, so `reserve`'s check-then-charge is atomic among the callers of one instance:
 * share one instance between everything routing in a process. Answers are copies, never live state.
 */
export class MemoryRoutingStateStore implements RoutingStateStore {
  private readonly now: () => number;
  private readonly windowMs: number;
  private readonly usageWindows = new Map<string, UsageWindow>();
  /** deployment id -> attempt id -> lease expiry. */
  private readonly attempts = new Map<string, Map<string, number>>();
  /** `<kind>:<deployment id>` -> samples, newest first, and how long they count. */
  private readonly samples = new Map<string, { ttlMs: number; list: LatencySample[] }>();
  private lastSweep = 0;

  constructor(options: MemoryRoutingStateStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.windowMs = options.windowMs ?? DEFAULT_USAGE_WINDOW_MS;
  }

  async reserve(candidates: readonly UsageLimits[], tokens: number, order: ReserveOrder): Promise<UsageReservation | undefined> {
    const window = this.currentWindow();
    this.sweep(window);
    const usage = candidates.map((candidate) => this.usageIn(candidate.deploymentId, window));
    const index = chooseReservation(candidates, usage, tokens, order);
    if (index < 0) return undefined;
    const { deploymentId } = candidates[index];
    this.usageWindows.set(deploymentId, { window, requests: usage[index].requests + 1, tokens: usage[index].tokens + tokens });
    return { deploymentId, window, tokens };
  }

  async settle(reservation: UsageReservation, actualTokens: number): Promise<void> {
    const delta = actualTokens - reservation.tokens;
    const window = this.currentWindow();
    const usage = this.usageWindows.get(reservation.deploymentId);
    if (usage && usage.window === reservation.window && usage.window === window) usage.tokens = Math.max(0, usage.tokens + delta);
    else if (delta > 0 && usage && usage.window === window) usage.tokens += delta;
    else if (delta > 0) this.usageWindows.set(reservation.deploymentId, { window, requests: 0, tokens: delta });
  }

  async usage(deploymentIds: readonly string[]): Promise<Map<string, DeploymentUsage>> {
    const window = this.currentWindow();
    return new Map(deploymentIds.map((id) => [id, this.usageIn(id, window)]));
  }

  async beginAttempt(deploymentId: string, attemptId: string, leaseMs: number): Promise<void> {
    this.sweep(this.currentWindow());
    let attempts = this.attempts.get(deploymentId);
    if (!attempts) this.attempts.set(deploymentId, (attempts = new Map()));
    attempts.set(attemptId, this.now() + leaseMs);
  }

  async endAttempt(deploymentId: string, attemptId: string): Promise<void> {
    const attempts = this.attempts.get(deploymentId);
    attempts?.delete(attemptId);
    if (attempts?.size === 0) this.attempts.delete(deploymentId);
  }

  async inFlight(deploymentIds: readonly string[]): Promise<Map<string, number>> {
    const now = this.now();
    return new Map(
      deploymentIds.map((id) => {
        const attempts = this.attempts.get(id);
        if (!attempts) return [id, 0];
        for (const [attemptId, expiresAt] of attempts) if (expiresAt <= now) attempts.delete(attemptId);
        return [id, attempts.size];
      }),
    );
  }

  async addLatency(deploymentId: string, kind: LatencyKind, ms: number, window: LatencyWindow): Promise<void> {
    this.sweep(this.currentWindow());
    const key = `${kind}:${deploymentId}`;
    let samples = this.samples.get(key);
    if (!samples) this.samples.set(key, (samples = { ttlMs: window.ttlMs, list: [] }));
    samples.ttlMs = window.ttlMs;
    samples.list.unshift({ at: this.now(), ms });
    if (samples.list.length > window.keep) samples.list.length = Math.max(0, window.keep);
  }

  async latencies(deploymentIds: readonly string[], kind: LatencyKind, window: LatencyWindow): Promise<Map<string, LatencySample[]>> {
    const oldest = this.now() - window.ttlMs;
    return new Map(
      deploymentIds.map((id) => {
        const samples = (this.samples.get(`${kind}:${id}`)?.list ?? []).filter((sample) => sample.at > oldest).slice(0, window.keep);
        return [id, samples.map((sample) => ({ ...sample }))];
      }),
    );
  }

  private currentWindow(): number {
    return Math.floor(this.now() / this.windowMs);
  }

  private usageIn(deploymentId: string, window: number): DeploymentUsage {
    const usage = this.usageWindows.get(deploymentId);
    return usage && usage.window === window ? { requests: usage.requests, tokens: usage.tokens } : { requests: 0, tokens: 0 };
  }

  /** Entries held, per kind (tests): what the once-per-window sweep keeps bounded. */
  entryCounts(): { usageWindows: number; attempts: number; latencies: number } {
    let attempts = 0;
    for (const byId of this.attempts.values()) attempts += byId.size;
    return { usageWindows: this.usageWindows.size, attempts, latencies: this.samples.size };
  }

  /**
   * Once per window, drops what can no longer count: ended usage windows, attempts whose lease ran out (their
   * replica's end never came) and latencies older than their time to live. Deployments removed by a reload
   * are never asked about again, so without this their state would stay for the life of the process.
   */
  private sweep(window: number): void {
    if (window === this.lastSweep) return;
    this.lastSweep = window;
    const now = this.now();
    for (const [id, usage] of this.usageWindows) if (usage.window < window - 1) this.usageWindows.delete(id);
    for (const [id, attempts] of this.attempts) {
      for (const [attemptId, expiresAt] of attempts) if (expiresAt <= now) attempts.delete(attemptId);
      if (attempts.size === 0) this.attempts.delete(id);
    }
    for (const [key, samples] of this.samples) if (samples.list.length === 0 || samples.list[0].at <= now - samples.ttlMs) this.samples.delete(key);
  }
}
