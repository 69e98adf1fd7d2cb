import { abortableSleep, GatewayError, type CancelSignal } from '@tollgate/common';
import type { Deployment } from '@tollgate/providers';
import type { Cooldowns, FailureClass } from '../cooldowns/cooldowns';
import type { RouteRequest, RoutingStrategy } from '../strategies/routing-strategy';
import { fallbackChain } from './fallback-chain';
import { retryDelayMs, retriesAllowed } from './retry-rules';
import { groupMissError } from '../groups/group-resolution';
import { MAX_RETRY_DELAY_MS, type AttemptFn, type FailureClassifier, type GroupResolver, type Routed, type RoutedRequest, type RouterPolicy } from './router.types';

export interface RouterDeps {
  groups: GroupResolver;
  strategy: RoutingStrategy;
  cooldowns: Pick<Cooldowns, 'isCoolingDown' | 'nextAvailableAt' | 'recordFailure' | 'recordSuccess'>;
  policy: RouterPolicy;
  classify: FailureClassifier;
  /** Waits `ms` unless `signal` fires first (tests replace it to advance time instantly). */
  sleep?: (ms: number, signal: CancelSignal) => Promise<void>;
  now?: () => number;
}

type GroupOutcome<T> = { ok: true; routed: Routed<T> } | { ok: false; error: GatewayError; group: string };

interface RunState {
  retries: number;
  fallbacks: number;
}

function asGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError(502, 'api_error', `The upstream call failed: ${(err as Error)?.message ?? String(err)}`, { code: 'upstream_failed' });
}

/**
 * Runs a request against a model group the way LiteLLM's router does: a strategy picks a deployment that is
 * not cooling down, failures are counted towards cooldowns, retried (on another deployment of the group when
 * there is one) as the retry policy allows, and when the group gives up the request falls back to other groups
 * (context-window, content-policy or general fallbacks). The caller leaving stops everything at once.
 */
export class Router {
  private readonly sleep: (ms: number, signal: CancelSignal) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly deps: RouterDeps) {
    this.sleep = deps.sleep ?? abortableSleep;
    this.now = deps.now ?? Date.now;
  }

  /** The model group a model name resolves to, for limits and budgets keyed by group; undefined when unknown. */
  groupOf(model: string): string | undefined {
    const resolution = this.deps.groups.resolve(model, {});
    return resolution.ok ? resolution.group : 'group' in resolution ? resolution.group : undefined;
  }

  async run<T>(request: RoutedRequest, attempt: AttemptFn<T>): Promise<Routed<T>> {
    const state: RunState = { retries: 0, fallbacks: 0 };
    const first = await this.tryGroup(request.model, request, attempt, state);
    if (first.ok) return first.routed;
    let error = first.error;
    const chain = fallbackChain(this.deps.policy, first.group, error, this.deps.classify, request.fallbacks);
    for (const model of chain.slice(0, this.deps.policy.maxFallbacks)) {
      if (request.signal.aborted) break;
      state.fallbacks++;
      const next = await this.tryGroup(model, request, attempt, state);
      if (next.ok) return next.routed;
      error = next.error;
    }
    throw error;
  }

  private async tryGroup<T>(model: string, request: RoutedRequest, attempt: AttemptFn<T>, state: RunState): Promise<GroupOutcome<T>> {
    const resolution = this.deps.groups.resolve(model, { tags: request.tags, inputTokens: request.inputTokens });
    if (!resolution.ok) return { ok: false, error: groupMissError(resolution), group: 'group' in resolution ? resolution.group : model };
    const { group, candidates, pinned } = resolution;
    const routeRequest: RouteRequest = { group, inputTokens: request.inputTokens, stream: request.stream };
    const failedHere = new Set<string>();
    let retriesInGroup = 0;
    for (;;) {
      // A deployment named by id is called as asked, cooling down or not (LiteLLM).
      const pool = pinned ? candidates : this.pool(candidates, failedHere);
      if (pool.length === 0) return { ok: false, error: this.coolingDownError(group, candidates), group };
      const deployment = await this.deps.strategy.pick(pool, routeRequest);
      if (!deployment) return { ok: false, error: atCapacityError(group), group };
      const target = withRequestTimeouts(deployment, request);
      this.deps.strategy.onStart?.(deployment, routeRequest);
      const started = this.now();
      try {
        const value = await attempt({ deployment: target, group, attempt: state.retries + state.fallbacks });
        this.deps.cooldowns.recordSuccess(deployment.id);
        // A stream's attempt ends at its first chunk (the caller primes it), so its duration is the time to first token.
        const attemptMs = this.now() - started;
        let finished = false;
        const finish = (report: { ok: boolean; tokens?: number; ttftMs?: number }) => {
          if (finished) return;
          finished = true;
          this.deps.strategy.onEnd?.(deployment, routeRequest, {
            ok: report.ok,
            latencyMs: this.now() - started,
            ttftMs: report.ttftMs ?? (request.stream ? attemptMs : undefined),
            tokens: report.tokens ?? request.inputTokens,
          });
        };
        return { ok: true, routed: { value, deployment: target, group, attemptedRetries: state.retries, attemptedFallbacks: state.fallbacks, finish } };
      } catch (err) {
        const error = asGatewayError(err);
        this.deps.strategy.onEnd?.(deployment, routeRequest, { ok: false, latencyMs: this.now() - started, tokens: request.inputTokens });
        if (error.status === 499 || request.signal.aborted) throw error;
        const failure = this.deps.classify(error);
        await this.deps.cooldowns.recordFailure(deployment, failure, error.status, retryAfterOf(error)).catch(() => undefined);
        failedHere.add(deployment.id);
        const othersLeft = this.pool(candidates, failedHere).length > 0;
        const allowed = retriesAllowed(this.deps.policy, group, failure, error, request.numRetries, othersLeft);
        if (retriesInGroup >= allowed) return { ok: false, error, group };
        retriesInGroup++;
        state.retries++;
        const wait = this.waitBeforeRetry(candidates, failedHere, failure, error, retriesInGroup);
        if (wait > 0) await this.sleepUntil(this.now() + wait, request.signal);
        if (request.signal.aborted) throw error;
      }
    }
  }

  /**
   * Sleeps until the router's clock reaches `until`. A timer counts from the event loop's cached time, which
   * lags the clock by the work done earlier in the same turn, so it can end a few milliseconds early; a
   * cooldown checked then would still be running and the request would fail with "no deployments available".
   */
  private async sleepUntil(until: number, signal: CancelSignal): Promise<void> {
    for (let left = until - this.now(); left > 0 && !signal.aborted; left = until - this.now()) await this.sleep(left, signal);
  }

  /**
   * Deployments that may serve now, preferring those that have not failed this request, and among them those
   * of the lowest `order` (LiteLLM: a higher order is only used while every lower one is unavailable).
   */
  private pool(candidates: readonly Deployment[], failedHere: ReadonlySet<string>): readonly Deployment[] {
    const now = this.now();
    const available = candidates.filter((d) => !this.deps.cooldowns.isCoolingDown(d.id, now));
    const fresh = available.filter((d) => !failedHere.has(d.id));
    return lowestOrder(fresh.length > 0 ? fresh : available);
  }

  /**
   * Another deployment is tried at once. The same one (or, when everything cools down, the first to come back)
   * is waited for: `retry-after` or the rate-limit backoff, capped by the longest retry delay.
   */
  private waitBeforeRetry(candidates: readonly Deployment[], failedHere: ReadonlySet<string>, failure: FailureClass, error: GatewayError, retry: number): number {
    const now = this.now();
    const available = candidates.filter((d) => !this.deps.cooldowns.isCoolingDown(d.id, now));
    if (available.some((d) => !failedHere.has(d.id))) return 0;
    if (available.length === 0) {
      const back = this.deps.cooldowns.nextAvailableAt(candidates.map((d) => d.id), now);
      return back === undefined ? 0 : Math.min(MAX_RETRY_DELAY_MS, Math.max(0, back - now));
    }
    return retryDelayMs(this.deps.policy, failure, retryAfterOf(error), retry);
  }

  private coolingDownError(group: string, candidates: readonly Deployment[]): GatewayError {
    const now = this.now();
    const back = this.deps.cooldowns.nextAvailableAt(candidates.map((d) => d.id), now);
    const seconds = Math.max(1, Math.ceil(((back ?? now + 1000) - now) / 1000));
    return new GatewayError(
      429,
      'rate_limit_error',
      `No deployments available for model group "${group}": all ${candidates.length} deployment(s) are cooling down after failures. Retry in ${seconds} s.`,
      { code: 'no_deployments_available', headers: { 'retry-after': String(seconds) } },
    );
  }
}

function orderOf(deployment: Deployment): number {
  const order = deployment.params.order;
  return typeof order === 'number' && Number.isFinite(order) ? order : Number.POSITIVE_INFINITY;
}

/** The deployments sharing the lowest `order`; all of them when none sets one. */
function lowestOrder(deployments: readonly Deployment[]): readonly Deployment[] {
  if (deployments.length < 2) return deployments;
  let lowest = Number.POSITIVE_INFINITY;
  for (const d of deployments) lowest = Math.min(lowest, orderOf(d));
  return lowest === Number.POSITIVE_INFINITY ? deployments : deployments.filter((d) => orderOf(d) === lowest);
}

function atCapacityError(group: string): GatewayError {
  return new GatewayError(429, 'rate_limit_error', `No deployments available for model group "${group}": every deployment is at its rpm/tpm limit. Retry in 60 s.`, {
    code: 'no_deployments_available',
    headers: { 'retry-after': '60' },
  });
}

function retryAfterOf(error: GatewayError): number | undefined {
  const header = error.options.headers?.['retry-after'];
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A request's own `timeout` / `stream_timeout` replace the deployment's for this call. */
function withRequestTimeouts(deployment: Deployment, request: RoutedRequest): Deployment {
  if (request.timeoutMs === undefined && request.streamTimeoutMs === undefined) return deployment;
  const timeoutMs = request.timeoutMs ?? deployment.timeoutMs;
  const streamTimeoutMs = Math.min(request.streamTimeoutMs ?? deployment.streamTimeoutMs, timeoutMs);
  return Object.assign({}, deployment, { timeoutMs, streamTimeoutMs });
}
