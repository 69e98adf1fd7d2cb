/** Which latency a sample measures: a whole response, or the first chunk of a stream. */
export type LatencyKind = 'total' | 'ttft';

/** A deployment's per-minute limits for a reservation; undefined means "not limited". */
export interface UsageLimits {
  deploymentId: string;
  rpm?: number;
  tpm?: number;
}

/**
 * How `reserve` chooses among the candidates that still fit:
 * - `most-headroom`: the largest share of its rpm/tpm still free (an unlimited deployment counts as
 *   entirely free), ties broken by fewer tokens used this minute, then by the order given;
 * - `first-fit`: the first one in the order given.
 */
export type ReserveOrder = 'most-headroom' | 'first-fit';

/** One request (and its estimated tokens) charged to a deployment's usage window. */
export interface UsageReservation {
  deploymentId: string;
  /** The window it was charged to (`floor(time / windowMs)` on the store's clock). */
  window: number;
  tokens: number;
}

/** A deployment's usage in the current window. */
export interface DeploymentUsage {
  requests: number;
  tokens: number;
}

/** A latency sample, stamped by the store that recorded it. */
export interface LatencySample {
  /** When it was recorded, ms since the epoch. */
  at: number;
  ms: number;
}

/** How many latency samples to keep per deployment and kind, and for how long. */
export interface LatencyWindow {
  keep: number;
  ttlMs: number;
}

/**
 * The state routing strategies share across replicas: requests in flight per deployment, recent latencies,
 * and requests/tokens per deployment in the current window (a wall-clock minute by default). Usage
 * reservation is atomic across every process using the same store; the other operations are plain counters.
 */
export interface RoutingStateStore {
  /**
   * Chooses one of `candidates` that can take one more request and `tokens` more tokens this window without
   * going over its rpm/tpm, and charges it, in one atomic step. Undefined when none fits.
   */
  reserve(candidates: readonly UsageLimits[], tokens: number, order: ReserveOrder): Promise<UsageReservation | undefined>;
  /**
   * Replaces a reservation's estimated tokens by the tokens really used. In the same window the difference is
   * applied (never going below zero); once the window has ended, only extra tokens are charged, to the
   * current window.
   */
  settle(reservation: UsageReservation, actualTokens: number): Promise<void>;
  /** Current-window usage of each id (zero for an id without any). */
  usage(deploymentIds: readonly string[]): Promise<Map<string, DeploymentUsage>>;

  /** Counts an attempt in flight until `endAttempt`, or until `leaseMs` pass (its replica may have died). */
  beginAttempt(deploymentId: string, attemptId: string, leaseMs: number): Promise<void>;
  /** Ends an attempt; ending one that is not counted does nothing. */
  endAttempt(deploymentId: string, attemptId: string): Promise<void>;
  /** Attempts in flight on each id, on every replica. */
  inFlight(deploymentIds: readonly string[]): Promise<Map<string, number>>;

  /** Records a latency; only the newest `window.keep` samples are kept, and none for longer than `window.ttlMs`. */
  addLatency(deploymentId: string, kind: LatencyKind, ms: number, window: LatencyWindow): Promise<void>;
  /** The newest samples (newest first, younger than `window.ttlMs`, at most `window.keep`) of each id. */
  latencies(deploymentIds: readonly string[], kind: LatencyKind, window: LatencyWindow): Promise<Map<string, LatencySample[]>>;
}

/** Usage windows are wall-clock minutes unless a store is told otherwise (tests use shorter ones). */
export const DEFAULT_USAGE_WINDOW_MS = 60_000;

/** Marks a limit as absent in the Lua scripts (they cannot take undefined). */
export const NO_LIMIT = -1;

/**
 * The choice `reserve` makes, shared by the memory store and (in Lua) the Redis store so both agree. `usage`
 * is each candidate's current-window usage, in the same order as `candidates`. Returns an index, or -1.
 */
export function chooseReservation(
  candidates: readonly UsageLimits[],
  usage: readonly DeploymentUsage[],
  tokens: number,
  order: ReserveOrder,
): number {
  let best = -1;
  let bestRoom = -1;
  let bestTokens = 0;
  for (let i = 0; i < candidates.length; i++) {
    const { rpm, tpm } = candidates[i];
    const used = usage[i];
    if (rpm !== undefined && used.requests + 1 > rpm) continue;
    if (tpm !== undefined && used.tokens + tokens > tpm) continue;
    if (order === 'first-fit') return i;
    let room = 1;
    if (rpm !== undefined) room = Math.min(room, (rpm - used.requests) / rpm);
    if (tpm !== undefined) room = Math.min(room, (tpm - used.tokens) / tpm);
    if (room > bestRoom || (room === bestRoom && used.tokens < bestTokens)) {
      best = i;
      bestRoom = room;
      bestTokens = used.tokens;
    }
  }
  return best;
}
