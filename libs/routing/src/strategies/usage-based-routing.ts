import type { Deployment } from '@tollgate/providers';
import type { RoutingState, UsageReservation } from '../state';
import { AttemptLedger } from './attempt-ledger';
import { deploymentLimits, wholeTokens } from './deployment-limits';
import { shuffled, type Random } from './random-choice';
import type { AttemptOutcome, RouteRequest, RoutingStrategy } from './routing-strategy';
import { pickWeighted } from './simple-shuffle';

export type UsageBasedRoutingName = 'usage-based-routing' | 'usage-based-routing-v2';

/**
 * LiteLLM's `usage-based-routing` and `usage-based-routing-v2` (the same here): the candidate with the
 * largest share of its `rpm`/`tpm` still free this minute, never one that would go over them. The choice and
 * the charge (one request, the estimated input tokens) are one atomic step in the shared store, so replicas
 * together never exceed a limit; when every candidate is full the pick is undefined (the router answers 429).
 * The real tokens replace the estimate when the attempt ends.
 *
 * If the store cannot be reached the pick falls back to simple-shuffle (limits unenforced, logged at most
 * once a minute), the same fail-open choice the gateway makes for key and team rate limits.
 */
export class UsageBasedRouting implements RoutingStrategy {
  private readonly reservations = new AttemptLedger<UsageReservation>();
  readonly chargesDeploymentUsage = true;

  constructor(
    readonly name: UsageBasedRoutingName,
    private readonly state: RoutingState,
    private readonly random: Random = Math.random,
  ) {}

  async pick(candidates: readonly Deployment[], request: RouteRequest): Promise<Deployment | undefined> {
    if (candidates.length === 0) return undefined;
    // Shuffled so that ties (equal shares free) are broken at random rather than by config order.
    const order = shuffled(candidates, this.random);
    let reservation: UsageReservation | undefined;
    try {
      const limits = order.map((deployment) => ({ deploymentId: deployment.id, ...deploymentLimits(deployment) }));
      reservation = await this.state.reserve(limits, wholeTokens(request.inputTokens), 'most-headroom');
    } catch (error) {
      this.state.reportOutage(error);
      return pickWeighted(candidates, this.random);
    }
    if (!reservation) return undefined;
    const chosen = reservation.deploymentId;
    const deployment = order.find((candidate) => candidate.id === chosen) as Deployment;
    this.reservations.add(request, deployment.id, reservation);
    return deployment;
  }

  onEnd(deployment: Deployment, request: RouteRequest, outcome: AttemptOutcome): void {
    const reservation = this.reservations.take(request, deployment.id);
    if (reservation) this.state.settle(reservation, wholeTokens(outcome.tokens));
  }
}
