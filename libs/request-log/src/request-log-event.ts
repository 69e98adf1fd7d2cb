/**
 * One proxied request, as recorded in `request_logs`. Produced on the request path and written by the
 * worker; it carries no prompt, no response and no credential.
 */
export interface RequestLogEvent {
  /** The gateway's id for the request (unique). */
  callId: string;
  /** The caller's own `x-litellm-call-id`, when it sent a usable one. */
  clientCallId?: string;
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number;
  /** SHA-256 hex of the caller's key, or `master` / `anonymous`. */
  keyHash: string;
  requestedModel: string;
  deploymentId?: string;
  provider?: string;
  upstreamModel?: string;
  apiBase?: string;
  route: string;
  stream: boolean;
  /** HTTP status returned to the caller (499 when the caller went away). */
  status: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Cost in USD as an exact decimal string (e.g. "0.000123"); absent means 0. */
  spend?: string;
  latencyMs: number;
  /** Time to first token for streams, in milliseconds. */
  ttftMs?: number;
  errorType?: string;
  errorMessage?: string;
  /** Who the spend is charged to besides the key: the key's user, team and organization at request time. */
  userId?: string;
  teamId?: string;
  organizationId?: string;
  /** The request's end user (LiteLLM's customer), created on first spend when unknown. */
  endUserId?: string;
  /** The request's `metadata.tags` and the key's tags; each gets its own daily spend. */
  tags?: string[];
}

/** Where the request path hands events; implementations must never throw nor block. */
export interface RequestLogSink {
  enqueue(event: RequestLogEvent): void;
  /** Stops accepting events and delivers what is pending (called on shutdown). */
  close(): Promise<void>;
}

export const REQUEST_LOG_SINK = Symbol('REQUEST_LOG_SINK');
export const REQUEST_LOG_QUEUE = 'tollgate-request-logs';
