import type { Deployment } from '@tollgate/providers';
import { deploymentLimits, deploymentWeight } from './deployment-limits';
import { weightedItem, type Random } from './random-choice';
import type { RoutingStrategy } from './routing-strategy';

/**
 * The share each candidate gets under simple-shuffle. The group is weighted by `weight` when any candidate
 * sets one, else by `rpm` when any sets one, else by `tpm`, else evenly; a candidate without the value the
 * group is weighted by gets the smallest value present (it is in the group, so it should get some traffic).
 */
export function shuffleWeights(candidates: readonly Deployment[]): number[] {
  const readers: ((deployment: Deployment) => number | undefined)[] = [
    deploymentWeight,
    (deployment) => deploymentLimits(deployment).rpm,
    (deployment) => deploymentLimits(deployment).tpm,
  ];
  for (const read of readers) {
    const values = candidates.map(read);
    const present = values.filter((value): value is number => value !== undefined);
    if (present.length === 0) continue;
    const smallest = Math.min(...present);
    return values.map((value) => value ?? smallest);
  }
  return candidates.map(() => 1);
}

/** One candidate, at random, in proportion to `shuffleWeights`. */
export function pickWeighted(candidates: readonly Deployment[], random: Random): Deployment {
  if (candidates.length === 1) return candidates[0];
  return weightedItem(candidates, shuffleWeights(candidates), random);
}

/**
 * LiteLLM's default `simple-shuffle`: weighted random choice. Reads no shared state, so it costs nothing on
 * the request path and never touches Redis.
 */
export class SimpleShuffle implements RoutingStrategy {
  readonly name = 'simple-shuffle';

  constructor(private readonly random: Random = Math.random) {}

  pick(candidates: readonly Deployment[]): Deployment | undefined {
    return candidates.length === 0 ? undefined : pickWeighted(candidates, this.random);
  }
}
