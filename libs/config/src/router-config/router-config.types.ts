/**
 * The router's settings, typed and with their defaults applied (`routerConfigOf`). Names follow what they
 * mean; the LiteLLM key each comes from is given on every field.
 */

/** `router_settings.routing_strategy` values Tollgate implements. */
export const ROUTING_STRATEGIES = [
  'simple-shuffle',
  'least-busy',
  'usage-based-routing',
  'usage-based-routing-v2',
  'latency-based-routing',
  'cost-based-routing',
] as const;

export type RoutingStrategyName = (typeof ROUTING_STRATEGIES)[number];

/**
 * LiteLLM's exception classes as named by `retry_policy` (`<class>Retries`) and `allowed_fails_policy`
 * (`<class>AllowedFails`).
 */
export const ROUTER_ERROR_CLASSES = [
  'BadRequestError',
  'AuthenticationError',
  'TimeoutError',
  'RateLimitError',
  'ContentPolicyViolationError',
  'InternalServerError',
] as const;

export type RouterErrorClass = (typeof ROUTER_ERROR_CLASSES)[number];

/** A count per error class; a class left out uses the general setting (`num_retries` / `allowed_fails`). */
export type PerErrorClass = Partial<Record<RouterErrorClass, number>>;

/** `routing_strategy_args`: tuning of latency-based routing. Keys Tollgate does not know are kept in `extra`. */
export interface RoutingStrategyArgs {
  /** `lowest_latency_buffer`: deployments within this fraction of the fastest also qualify (0.5 = 50 %). */
  lowestLatencyBuffer: number;
  /** `ttl`: how long a latency sample counts, in seconds. */
  ttlSeconds: number;
  /** `max_latency_list_size`: samples kept per deployment. */
  maxLatencyListSize: number;
  extra: Record<string, unknown>;
}

/** One `model_group_alias` entry: requests for the alias go to `model`. */
export interface ModelGroupAlias {
  model: string;
  /** Left out of /v1/models when true. */
  hidden: boolean;
}

/**
 * Fallback targets by source model group, from LiteLLM's list of single-key maps
 * (`[{"gpt-4o": ["claude", "gpt-4o-mini"]}]`). The key `*` applies to every group without its own entry.
 * When a group appears twice the first entry wins, as in LiteLLM.
 */
export type FallbackMap = Readonly<Record<string, readonly string[]>>;

export interface RouterConfig {
  /** `routing_strategy`; default `simple-shuffle`. */
  routingStrategy: RoutingStrategyName;
  routingStrategyArgs: RoutingStrategyArgs;
  /** `num_retries`: retries within a group after the first attempt; default 2 (LiteLLM's code default). */
  numRetries: number;
  /** `retry_after`: minimum wait before a retry, seconds; a provider's `retry-after` overrides it. Default 0. */
  retryAfterSeconds: number;
  /** `retry_policy`: retries per error class, overriding `numRetries` for that class. */
  retryPolicy: PerErrorClass;
  /** `model_group_retry_policy`: a `retry_policy` per model group, overriding `retryPolicy` for that group. */
  modelGroupRetryPolicy: Readonly<Record<string, PerErrorClass>>;
  /** `allowed_fails`: failures per minute a deployment may have before it cools down; default 3. */
  allowedFails: number;
  /** `allowed_fails_policy`: allowed failures per error class, overriding `allowedFails` for that class. */
  allowedFailsPolicy: PerErrorClass;
  /** `cooldown_time`: seconds a deployment stays out of rotation; default 5. 0 means no cooldown time. */
  cooldownTimeSeconds: number;
  /** `disable_cooldowns`; default false. */
  disableCooldowns: boolean;
  /** `fallbacks`: tried after retries are exhausted, for any error. */
  fallbacks: FallbackMap;
  /** `context_window_fallbacks`: for a prompt too long for the group (also when pre-call checks drop every deployment). */
  contextWindowFallbacks: FallbackMap;
  /** `content_policy_fallbacks`: for a content policy refusal. */
  contentPolicyFallbacks: FallbackMap;
  /** `default_fallbacks`: for any group that has no `fallbacks` entry of its own. */
  defaultFallbacks: readonly string[];
  /** `max_fallbacks`: fallback groups tried at most per request; default 5. */
  maxFallbacks: number;
  /** `timeout` (else `litellm_settings.request_timeout`): whole request, seconds; default 600. */
  timeoutSeconds: number;
  /** `stream_timeout`: time to the first streamed chunk, seconds; undefined means `timeoutSeconds`. */
  streamTimeoutSeconds?: number;
  /** `model_group_alias`, every entry in its long form. */
  modelGroupAlias: Readonly<Record<string, ModelGroupAlias>>;
  /** `enable_pre_call_checks`: skip deployments whose context window is smaller than the prompt; default false. */
  enablePreCallChecks: boolean;
  /**
   * `optional_pre_call_checks`: LiteLLM's opt-in checks, as named in the file. Tollgate acts on
   * `enforce_model_rate_limits` (a deployment's `rpm`/`tpm` become hard limits) and warns about the others.
   */
  optionalPreCallChecks: readonly string[];
  /** `enable_tag_filtering`: route by `tags`; default false. */
  enableTagFiltering: boolean;
  /** `tag_filtering_match_any`: a deployment needs any (true) or all (false) of the request's tags; default true. */
  tagFilteringMatchAny: boolean;
  /** `general_settings.background_health_checks`; default false. */
  backgroundHealthChecks: boolean;
  /** `general_settings.health_check_interval`, seconds between background health checks; default 300. */
  healthCheckIntervalSeconds: number;
}
