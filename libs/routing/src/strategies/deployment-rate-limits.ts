import type { Deployment } from '@tollgate/providers';
import type { RoutingState, UsageReservation } from '../state';
import { AttemptLedger } from './attempt-ledger';
import { deploymentLimits, wholeTokens } from './deployment-limits';
import type { AttemptOutcome, RouteRequest, RoutingStrategy } from './routing-strategy';

/**
 * LiteLLM's `optional_pre_call_checks: [enforce_model_rate_limits]`: a deployment's `rpm` / `tpm` become hard
 * limits whatever the routing strategy. The strategy picks as usual; the pick is then charged (one request,
 * the estimated input tokens) in the shared per-minute usage, atomically, so replicas together never go over
 * a limit. A deployment that is full is set aside and the strategy picks again among the others; when every
 * one is full the pick is undefined and the router answers 429 with `retry-after`. The real tokens replace
 * the estimate when the attempt ends (tpm is therefore best effort, as in LiteLLM; rpm is exact).
 *
 * Strategies that already charge the usage they route by (usage-based, cost-based) are not wrapped.
 * When the store cannot be reached the pick stands uncharged: limits fail open, as key and team limits do.
 */
export class DeploymentRateLimits implements RoutingStrategy {
  private readonly reservations = new AttemptLedger<UsageReservation>();

  constructor(
    private readonly inner: RoutingStrategy,
    private readonly state: RoutingState,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  readonly chargesDeploymentUsage = true;

  async pick(candidates: readonly Deployment[], request: RouteRequest): Promise<Deployment | undefined> {
    let pool = candidates;
    while (pool.length > 0) {
      const chosen = await this.inner.pick(pool, request);
      if (!chosen) return undefined;
      const limits = deploymentLimits(chosen);
      if (limits.rpm === undefined && limits.tpm === undefined) return chosen;
      let reservation: UsageReservation | undefined;
      try {
        reservation = await this.state.reserve([{ deploymentId: chosen.id, ...limits }], wholeTokens(request.inputTokens), 'first-fit');
      } catch (error) {
        this.state.reportOutage(error);
        return chosen;
      }
      if (reservation) {
        this.reservations.add(request, chosen.id, reservation);
        return chosen;
      }
      pool = pool.filter((candidate) => candidate !== chosen);
    }
    return undefined;
  }

  onStart(deployment: Deployment, request: RouteRequest): void {
    this.inner.onStart?.(deployment, request);
  }

  onEnd(deployment: Deployment, request: RouteRequest, outcome: AttemptOutcome): void {
    this.inner.onEnd?.(deployment, request, outcome);
    const reservation = this.reservations.take(request, deployment.id);
    if (reservation) this.state.settle(reservation, wholeTokens(outcome.tokens));
  }
}
