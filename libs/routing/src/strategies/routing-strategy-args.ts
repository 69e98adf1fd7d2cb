/** `router_settings.routing_strategy_args` as the config file gives them. */
export type RoutingStrategyArgs = Readonly<Record<string, unknown>>;

/** LiteLLM's defaults for latency-based routing: samples live an hour, the newest 10 count, no buffer. */
export const DEFAULT_LATENCY_TTL_SECONDS = 3_600;
export const DEFAULT_LATENCY_SAMPLES = 10;

export interface LatencyRoutingArgs {
  /** How long a latency sample counts (`ttl`, seconds in the config). */
  ttlMs: number;
  /** `lowest_latency_buffer`: deployments within `best × (1 + buffer)` share the traffic. */
  buffer: number;
  /** `max_latency_list_size`: how many recent samples are averaged per deployment. */
  samples: number;
}

function numberArg(args: RoutingStrategyArgs, name: string, fallback: number, valid: (value: number) => boolean, expected: string): number {
  const value = args[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) {
    throw new Error(`routing_strategy_args.${name}: expected ${expected}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Reads the latency strategy's arguments; throws an Error naming the first invalid one. */
export function latencyRoutingArgs(args: RoutingStrategyArgs = {}): LatencyRoutingArgs {
  const ttlSeconds = numberArg(args, 'ttl', DEFAULT_LATENCY_TTL_SECONDS, (value) => value > 0, 'a number of seconds greater than 0');
  const buffer = numberArg(args, 'lowest_latency_buffer', 0, (value) => value >= 0, 'a number of 0 or more (0.5 = within 50% of the fastest)');
  const samples = numberArg(
    args,
    'max_latency_list_size',
    DEFAULT_LATENCY_SAMPLES,
    (value) => Number.isInteger(value) && value > 0,
    'a whole number greater than 0',
  );
  return { ttlMs: ttlSeconds * 1000, buffer, samples };
}
