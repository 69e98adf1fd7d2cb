// Types for large-payloads.js, which stays plain JavaScript so `node bench/run.js` needs no build.

interface Target {
  url: string;
  headers?: Record<string, string>;
  model: string;
  /** Default 120000. */
  timeoutMs?: number;
}

export interface BigPromptResult {
  /** 0 when no HTTP answer came (socket error or timeout). */
  status: number;
  /** From sending the request to the answer's last byte. */
  ms: number;
  /** A 200 carrying a chat.completion with string content. */
  ok: boolean;
  /** What went wrong when not ok: an error-body excerpt or an error code. */
  error?: string;
}

export interface LongStreamResult {
  status: number;
  /** Content deltas received. */
  chunks: number;
  ms: number;
  /** [DONE] seen, no error event, and exactly the asked number of content deltas. */
  complete: boolean;
  error?: string;
}

/** `bytes` defaults to 1 MiB. */
export function bigPrompt(options: Target & { bytes?: number }): Promise<BigPromptResult>;
export function longStream(options: Target & { chunks: number }): Promise<LongStreamResult>;
