import type { Deployment } from '@tollgate/providers';
import type { LatencyKind, LatencyWindow, RoutingState } from '../state';
import { randomItem, type Random } from './random-choice';
import type { AttemptOutcome, RouteRequest, RoutingStrategy } from './routing-strategy';
import type { LatencyRoutingArgs } from './routing-strategy-args';

function average(samples: readonly number[]): number | undefined {
  if (samples.length === 0) return undefined;
  let sum = 0;
  for (const sample of samples) sum += sample;
  return sum / samples.length;
}

/**
 * LiteLLM's `latency-based-routing`: the candidate with the lowest average of its recent latencies, measured
 * on every replica; for streams the time to the first chunk, for other requests the whole response (two
 * separate averages, since they are not comparable). With `lowest_latency_buffer` the traffic is spread at
 * random over every candidate within `best × (1 + buffer)`, so the fastest is not the only one kept warm.
 *
 * A candidate with no recent sample is tried first (one attempt at a time from this replica), so a new or
 * long-idle deployment gets measured. A failed attempt counts only if it was slower than the deployment's
 * average: a fast error must not make a broken deployment look fast (cooldowns deal with errors), while a
 * timeout should push it back.
 */
export class LatencyBasedRouting implements RoutingStrategy {
  readonly name = 'latency-based-routing';
  private readonly window: LatencyWindow;
  /** Deployments being tried by this replica while they have no sample yet. */
  private readonly probes = new Map<string, number>();

  constructor(
    private readonly state: RoutingState,
    private readonly args: LatencyRoutingArgs,
    private readonly random: Random = Math.random,
  ) {
    this.window = { keep: args.samples, ttlMs: args.ttlMs };
  }

  pick(candidates: readonly Deployment[], request: RouteRequest): Deployment | undefined {
    if (candidates.length === 0) return undefined;
    const kind = kindOf(request);
    const untried: Deployment[] = [];
    const measured: { deployment: Deployment; latency: number }[] = [];
    for (const deployment of candidates) {
      const latency = this.averageLatency(deployment, kind);
      if (latency !== undefined) measured.push({ deployment, latency });
      else if (!this.probes.get(deployment.id)) untried.push(deployment);
    }
    if (untried.length > 0) return randomItem(untried, this.random);
    if (measured.length === 0) return randomItem(candidates, this.random);
    let best = Number.POSITIVE_INFINITY;
    for (const { latency } of measured) best = Math.min(best, latency);
    const limit = best * (1 + this.args.buffer);
    return randomItem(measured.filter(({ latency }) => latency <= limit), this.random).deployment;
  }

  onStart(deployment: Deployment): void {
    this.probes.set(deployment.id, (this.probes.get(deployment.id) ?? 0) + 1);
  }

  onEnd(deployment: Deployment, request: RouteRequest, outcome: AttemptOutcome): void {
    const probes = (this.probes.get(deployment.id) ?? 1) - 1;
    if (probes > 0) this.probes.set(deployment.id, probes);
    else this.probes.delete(deployment.id);

    const kind = kindOf(request);
    // A stream that produced its first chunk measured its time to first token, whatever happened after.
    if (kind === 'ttft' && outcome.ttftMs !== undefined) return this.record(deployment, kind, outcome.ttftMs);
    if (outcome.ok) return this.record(deployment, kind, outcome.latencyMs);
    const current = this.averageLatency(deployment, kind);
    if (current !== undefined && outcome.latencyMs > current) this.record(deployment, kind, outcome.latencyMs);
  }

  private averageLatency(deployment: Deployment, kind: LatencyKind): number | undefined {
    return average(this.state.latencies(deployment.id, kind, this.window));
  }

  private record(deployment: Deployment, kind: LatencyKind, ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.state.recordLatency(deployment.id, kind, Math.round(ms), this.window);
  }
}

function kindOf(request: RouteRequest): LatencyKind {
  return request.stream ? 'ttft' : 'total';
}
