import type { Deployment } from '@tollgate/providers';
import type { AttemptTicket, RoutingState } from '../state';
import { AttemptLedger } from './attempt-ledger';
import { randomItem, type Random } from './random-choice';
import type { RouteRequest, RoutingStrategy } from './routing-strategy';

/** An attempt outlives its deployment's timeout only if its replica died; its count then frees itself. */
const LEASE_MARGIN_MS = 30_000;

/**
 * LiteLLM's `least-busy`: the candidate with the fewest attempts in flight on every replica (ties at random).
 * Counts are read from the local picture of the shared state (refreshed in the background, plus this
 * replica's own attempts at once), so a pick never waits on Redis.
 */
export class LeastBusy implements RoutingStrategy {
  readonly name = 'least-busy';
  private readonly tickets = new AttemptLedger<AttemptTicket>();

  constructor(
    private readonly state: RoutingState,
    private readonly random: Random = Math.random,
  ) {}

  pick(candidates: readonly Deployment[]): Deployment | undefined {
    let fewest = Number.POSITIVE_INFINITY;
    let idlest: Deployment[] = [];
    for (const deployment of candidates) {
      const busy = this.state.inFlight(deployment.id);
      if (busy < fewest) {
        fewest = busy;
        idlest = [deployment];
      } else if (busy === fewest) {
        idlest.push(deployment);
      }
    }
    return idlest.length === 0 ? undefined : randomItem(idlest, this.random);
  }

  onStart(deployment: Deployment, request: RouteRequest): void {
    const lease = Math.max(deployment.timeoutMs, deployment.streamTimeoutMs) + LEASE_MARGIN_MS;
    this.tickets.add(request, deployment.id, this.state.attemptStarted(deployment.id, lease));
  }

  onEnd(deployment: Deployment, request: RouteRequest): void {
    const ticket = this.tickets.take(request, deployment.id);
    if (ticket) this.state.attemptEnded(ticket);
  }
}
