import type { Deployment } from '@tollgate/providers';
import type { ModelPrice, PricingCatalog } from '@tollgate/spend';
import type { RoutingState, UsageReservation } from '../state';
import { AttemptLedger } from './attempt-ledger';
import { deploymentLimits, wholeTokens } from './deployment-limits';
import { shuffled, weightedOrder, type Random } from './random-choice';
import type { AttemptOutcome, RouteRequest, RoutingStrategy } from './routing-strategy';
import { shuffleWeights } from './simple-shuffle';

/** The part of the pricing catalog routing needs (`PricingCatalog` fits; its per-deployment cache keeps this cheap). */
export type DeploymentPricing = Pick<PricingCatalog, 'priceFor'>;

/**
 * LiteLLM's `cost-based-routing`: the cheapest candidate by the pricing catalog, with the deployment's own
 * `input_cost_per_token` / `output_cost_per_token` (litellm_params or model_info) taking precedence. A
 * candidate's price is its input plus output price per token; candidates at the same price share the traffic
 * at random. Candidates nothing prices come after every priced one, in simple-shuffle's weighted order (so a
 * group priced by nothing behaves like simple-shuffle).
 *
 * When some candidate has an `rpm`/`tpm`, the cheapest one with room this minute is reserved atomically in
 * the shared store (as usage-based routing does), so a cheap deployment at its limit overflows to the next
 * cheapest instead of being sent more than it allows; undefined when all are full. Without limits the pick
 * reads no shared state at all. If the store cannot be reached, the cheapest is picked regardless of limits.
 */
export class CostBasedRouting implements RoutingStrategy {
  readonly name = 'cost-based-routing';
  private readonly reservations = new AttemptLedger<UsageReservation>();
  readonly chargesDeploymentUsage = true;

  constructor(
    private readonly state: RoutingState,
    private readonly pricing: DeploymentPricing,
    private readonly random: Random = Math.random,
  ) {}

  pick(candidates: readonly Deployment[], request: RouteRequest): Deployment | undefined | Promise<Deployment | undefined> {
    if (candidates.length === 0) return undefined;
    const order = this.cheapestFirst(candidates);
    const limits = order.map((deployment) => ({ deploymentId: deployment.id, ...deploymentLimits(deployment) }));
    if (!limits.some((limit) => limit.rpm !== undefined || limit.tpm !== undefined)) return order[0];
    return this.reserve(order, limits, request);
  }

  onEnd(deployment: Deployment, request: RouteRequest, outcome: AttemptOutcome): void {
    const reservation = this.reservations.take(request, deployment.id);
    if (reservation) this.state.settle(reservation, wholeTokens(outcome.tokens));
  }

  /** Priced candidates by price (ties in random order), then unpriced ones in weighted random order. */
  cheapestFirst(candidates: readonly Deployment[]): Deployment[] {
    const priced: { deployment: Deployment; perToken: bigint }[] = [];
    const unpriced: Deployment[] = [];
    for (const deployment of shuffled(candidates, this.random)) {
      const price = this.pricing.priceFor(deployment);
      if (price) priced.push({ deployment, perToken: perToken(price) });
      else unpriced.push(deployment);
    }
    // Array.prototype.sort is stable, so equal prices keep the shuffled order.
    priced.sort((a, b) => (a.perToken < b.perToken ? -1 : a.perToken > b.perToken ? 1 : 0));
    return [...priced.map(({ deployment }) => deployment), ...weightedOrder(unpriced, shuffleWeights(unpriced), this.random)];
  }

  private async reserve(
    order: readonly Deployment[],
    limits: Parameters<RoutingState['reserve']>[0],
    request: RouteRequest,
  ): Promise<Deployment | undefined> {
    let reservation: UsageReservation | undefined;
    try {
      reservation = await this.state.reserve(limits, wholeTokens(request.inputTokens), 'first-fit');
    } catch (error) {
      this.state.reportOutage(error);
      return order[0];
    }
    if (!reservation) return undefined;
    const chosen = reservation.deploymentId;
    const deployment = order.find((candidate) => candidate.id === chosen) as Deployment;
    this.reservations.add(request, deployment.id, reservation);
    return deployment;
  }
}

function perToken(price: ModelPrice): bigint {
  return price.inputPerToken + price.outputPerToken;
}
