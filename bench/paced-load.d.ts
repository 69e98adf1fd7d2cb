// Types for paced-load.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export interface PacedLoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** An object gets `stream` set from the option below; a string is sent as it is. */
  body: string | object;
  ratePerSecond: number;
  durationS: number;
  /** Seconds of the same schedule sent first and left out of every figure except `warmup`. Default 0. */
  warmupS?: number;
  stream?: boolean;
  /** Requests open at once; one due beyond this is counted as 'not-started'. Default 2000. */
  maxInFlight?: number;
  /** Deadline per request, to the end of its body. Default 30000. */
  timeoutMs?: number;
}

/** Milliseconds from each request's scheduled start; null when no request completed. */
export interface Percentiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface PacedLoadResult {
  /** Requests actually started (scheduled ones minus 'not-started'). */
  sent: number;
  /** 2xx answers read whole: a completion, or a stream that ended with [DONE] and no error event. */
  completed: number;
  /** Scheduled requests that did not complete, 'not-started' ones included. */
  errors: number;
  /** Every scheduled request once: HTTP status, or 'not-started' / 'timeout' / 'incomplete-stream' / 'bad-body' / an error code. */
  statusCounts: Record<string, number>;
  latencyMs: Percentiles & { max: number | null };
  /** To the first content delta; only for stream runs. */
  ttftMs?: Percentiles;
  /** How late the client started its most delayed request: large values mean the client, not the server, was saturated. */
  maxStartLagMs: number;
  /** The warm-up's own tally, present when `warmupS` > 0; every figure above covers the measured part only. */
  warmup?: { sent: number; completed: number; statusCounts: Record<string, number> };
}

export function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult>;
