import type { RoutingState } from '../state';
import { CostBasedRouting, type DeploymentPricing } from './cost-based-routing';
import { DeploymentRateLimits } from './deployment-rate-limits';
import { LatencyBasedRouting } from './latency-based-routing';
import { LeastBusy } from './least-busy';
import type { Random } from './random-choice';
import type { RoutingStrategy } from './routing-strategy';
import { latencyRoutingArgs, type RoutingStrategyArgs } from './routing-strategy-args';
import { SimpleShuffle } from './simple-shuffle';
import { UsageBasedRouting } from './usage-based-routing';

export * from './routing-strategy';
export * from './routing-strategy-args';
export * from './simple-shuffle';
export * from './least-busy';
export * from './usage-based-routing';
export * from './latency-based-routing';
export * from './cost-based-routing';
export * from './deployment-rate-limits';
export { deploymentLimits, type DeploymentLimits } from './deployment-limits';

/** What a strategy may need; the router builds one `RoutingState` per process and hands it to its strategy. */
export interface RoutingStrategyDeps {
  /** Shared state (in flight, latencies, usage): Redis-backed when Redis is configured, else in memory. */
  state: RoutingState;
  /** Prices, for `cost-based-routing` (required by it, unused by the others). */
  pricing?: DeploymentPricing;
  /** `router_settings.routing_strategy_args`. */
  args?: RoutingStrategyArgs;
  /** Source of randomness in [0, 1); tests seed it. Default `Math.random`. */
  random?: Random;
  /** `optional_pre_call_checks` (router_settings): `enforce_model_rate_limits` makes deployment rpm/tpm hard limits. */
  preCallChecks?: readonly string[];
}

/** The `optional_pre_call_checks` Tollgate acts on; the router config warns about the others. */
export const SUPPORTED_PRE_CALL_CHECKS: readonly string[] = ['enforce_model_rate_limits'];

export const DEFAULT_ROUTING_STRATEGY = 'simple-shuffle';

/** LiteLLM's `routing_strategy` names, each to its strategy. A new strategy is one file and one line here. */
const STRATEGIES: Readonly<Record<string, (deps: RoutingStrategyDeps) => RoutingStrategy>> = {
  'simple-shuffle': ({ random }) => new SimpleShuffle(random),
  'least-busy': ({ state, random }) => new LeastBusy(state, random),
  'usage-based-routing': ({ state, random }) => new UsageBasedRouting('usage-based-routing', state, random),
  'usage-based-routing-v2': ({ state, random }) => new UsageBasedRouting('usage-based-routing-v2', state, random),
  'latency-based-routing': ({ state, args, random }) => new LatencyBasedRouting(state, latencyRoutingArgs(args), random),
  'cost-based-routing': ({ state, pricing, random }) => {
    if (!pricing) throw new Error('routing_strategy cost-based-routing needs the pricing catalog');
    return new CostBasedRouting(state, pricing, random);
  },
};

export const ROUTING_STRATEGY_NAMES: readonly string[] = Object.keys(STRATEGIES);

/**
 * The strategy named by `router_settings.routing_strategy` (simple-shuffle when unset). Throws an Error for
 * an unknown name (listing the valid ones) or invalid `routing_strategy_args`; the config layer reports it.
 */
export function createRoutingStrategy(name: string | undefined, deps: RoutingStrategyDeps): RoutingStrategy {
  const strategy = name ?? DEFAULT_ROUTING_STRATEGY;
  const create = Object.prototype.hasOwnProperty.call(STRATEGIES, strategy) ? STRATEGIES[strategy] : undefined;
  if (!create) {
    throw new Error(`unknown routing_strategy ${JSON.stringify(strategy)}; expected one of: ${ROUTING_STRATEGY_NAMES.join(', ')}`);
  }
  const chosen = create(deps);
  const enforce = deps.preCallChecks?.includes('enforce_model_rate_limits') && !chosen.chargesDeploymentUsage;
  return enforce ? new DeploymentRateLimits(chosen, deps.state) : chosen;
}
