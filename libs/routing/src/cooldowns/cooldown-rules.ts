import type { Deployment } from '@tollgate/providers';
import type { CooldownSettings } from './cooldown-settings';
import type { FailureClass } from './cooldowns';

/** A deployment's attempts in the current minute, across every replica sharing the store. */
export interface MinuteCounts {
  /** Failures of the class just recorded (this one included). */
  classFailures: number;
  /** Failures of every counted class (this one included). */
  failures: number;
  successes: number;
}

/** LiteLLM's rule: more than this share of the minute's requests failing cools a deployment down... */
export const FAILURE_SHARE_THRESHOLD = 0.5;
/** ...once the minute has at least this many requests (fewer say little about the deployment). */
export const FAILURE_SHARE_MIN_REQUESTS = 5;
/** Retrying will not fix these: bad credentials, unknown model or path, the upstream's own request timeout. */
const NON_RETRYABLE = new Set([401, 404, 408]);
/** A `retry-after` longer than this is not believed: one bad header must not take a deployment out for hours. */
export const MAX_RETRY_AFTER_COOLDOWN_MS = 10 * 60_000;

/** Whether a failure is counted at all. Other 4xx are the caller's fault and say nothing about the deployment. */
export function countsTowardsCooldown(failure: FailureClass, status: number, settings: CooldownSettings): boolean {
  if (settings.disableCooldowns) return false;
  if (settings.allowedFailsPolicy[failure] !== undefined) return true;
  return !(status >= 400 && status < 500) || status === 429 || NON_RETRYABLE.has(status);
}

/**
 * Why the deployment must cool down after a counted failure, or undefined when it may stay. A class listed
 * in `allowed_fails_policy` is judged by its own allowance only; otherwise a 429 or a non-retryable status
 * cools at once, and other failures when the minute's failures exceed `allowed_fails` or more than half of
 * at least 5 requests failed.
 */
export function cooldownReason(failure: FailureClass, status: number, counts: MinuteCounts, settings: CooldownSettings): string | undefined {
  const allowance = settings.allowedFailsPolicy[failure];
  if (allowance !== undefined) {
    return counts.classFailures > allowance
      ? `${counts.classFailures} ${failure} failures this minute, more than allowed_fails_policy allows (${allowance})`
      : undefined;
  }
  if (status === 429) return 'rate limited by the upstream (HTTP 429)';
  if (NON_RETRYABLE.has(status)) return `the upstream answered HTTP ${status}, which retrying will not fix`;
  if (counts.failures > settings.allowedFails) {
    return `${counts.failures} failures this minute, more than allowed_fails (${settings.allowedFails}); last: ${failure} (HTTP ${status})`;
  }
  const requests = counts.failures + counts.successes;
  if (requests >= FAILURE_SHARE_MIN_REQUESTS && counts.failures / requests > FAILURE_SHARE_THRESHOLD) {
    return `${counts.failures} of ${requests} requests failed this minute; last: ${failure} (HTTP ${status})`;
  }
  return undefined;
}

/**
 * How long a cooldown lasts: the deployment's own `cooldown_time` (seconds) or the router's, and at least as
 * long as the upstream's `retry-after` asked (capped), since calling earlier would only be refused again.
 */
export function cooldownDurationMs(deployment: Deployment, settings: CooldownSettings, retryAfterMs?: number): number {
  const own = deployment.params.cooldown_time;
  const base = typeof own === 'number' && own >= 0 ? own * 1000 : settings.cooldownTimeMs;
  if (retryAfterMs === undefined || !(retryAfterMs > base)) return base;
  return Math.min(retryAfterMs, Math.max(base, MAX_RETRY_AFTER_COOLDOWN_MS));
}
