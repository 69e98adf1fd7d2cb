// Types for stream-probe.js, which stays plain JavaScript so `node bench/run.js` needs no build.

interface StreamTarget {
  url: string;
  headers?: Record<string, string>;
  /** An object gets `stream: true`; a string is sent as it is. */
  body: string | object;
}

export interface ProbeStreamsOptions extends StreamTarget {
  concurrency: number;
  /** Whole-stream deadline; default 60000. */
  timeoutMs?: number;
  /** A stream with no bytes for this long before [DONE] is stalled; default 5000. */
  stallMs?: number;
}

export interface ProbeStreamsResult {
  completed: number;
  stalled: number;
  /** Non-200, socket error, error event, no [DONE], or timeoutMs passed. */
  failed: number;
  /** Over completed streams, from sending the request; null when none completed. */
  ttftMs: { p50: number | null; p99: number | null };
  totalMs: { p50: number | null; p99: number | null };
  /** Content deltas received over all streams. */
  chunks: number;
  /** What the failed streams met: HTTP status, 'timeout', 'incomplete-stream', 'error-event' or an error code. */
  failures: Record<string, number>;
}

export interface SerialTtftOptions extends StreamTarget {
  count: number;
  timeoutMs?: number;
  /** Unmeasured streams first; default 1. */
  warmup?: number;
}

type P3 = { p50: number | null; p90: number | null; p99: number | null };

export function probeStreams(options: ProbeStreamsOptions): Promise<ProbeStreamsResult>;
/** Throws when any stream does not complete. */
/** longestGapMs: per stream, the longest wait between two content chunks. */
export function serialTtft(options: SerialTtftOptions): Promise<{ ttftMs: P3; totalMs: P3; longestGapMs: P3 }>;
