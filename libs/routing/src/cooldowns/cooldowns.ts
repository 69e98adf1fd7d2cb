import type { Deployment } from '@tollgate/providers';

/** LiteLLM's exception classes, used by `retry_policy` and `allowed_fails_policy`. */
export type FailureClass =
  | 'BadRequestError'
  | 'AuthenticationError'
  | 'TimeoutError'
  | 'RateLimitError'
  | 'ContentPolicyViolationError'
  | 'InternalServerError';

export const FAILURE_CLASSES: readonly FailureClass[] = [
  'BadRequestError',
  'AuthenticationError',
  'TimeoutError',
  'RateLimitError',
  'ContentPolicyViolationError',
  'InternalServerError',
];

/** A deployment taken out of rotation until `until` (ms since epoch). */
export interface Cooldown {
  deploymentId: string;
  until: number;
  /** Why, for the event and the health output (never a credential). */
  reason: string;
}

/**
 * Which deployments are cooling down, shared by every replica (Redis; in memory without Redis). Reads are
 * synchronous (answered from memory, kept current by change messages between replicas) so the request path
 * never waits on the store; failures and cooldowns are written through to the store.
 */
export interface Cooldowns {
  /** True while the deployment is cooling down (on any replica's account). */
  isCoolingDown(deploymentId: string, now?: number): boolean;
  /** The earliest time one of `deploymentIds` leaves its cooldown (for "retry in N s"), undefined if none cools down. */
  nextAvailableAt(deploymentIds: readonly string[], now?: number): number | undefined;
  /**
   * Counts a failed attempt; cools the deployment down when its failures in the current minute exceed
   * `allowed_fails` (or, for a class listed in `allowed_fails_policy`, that class's allowance), when more than
   * half of at least 5 requests this minute failed, or at once for a 429 (rate limited upstream) and for
   * non-retryable 401/404/408. Other 4xx are the caller's fault and never count. Resolves to the cooldown set, if any.
   */
  recordFailure(deployment: Deployment, failure: FailureClass, status: number, retryAfterMs?: number): Promise<Cooldown | undefined>;
  /**
   * Counts a successful attempt, for the "more than half failed" rule. Synchronous and cheap: implementations
   * batch it (added so the failure share can be computed; LiteLLM counts successes per minute too).
   */
  recordSuccess(deploymentId: string): void;
  /**
   * Cools a deployment down directly (health checks). `status` is the HTTP status behind it, for the event.
   * Resolves to undefined when cooldowns are disabled (`disable_cooldowns`).
   */
  coolDown(deployment: Deployment, ms: number, reason: string, status?: number): Promise<Cooldown | undefined>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
