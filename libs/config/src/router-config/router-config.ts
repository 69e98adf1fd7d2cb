import type { TollgateConfig } from '../config.types';
import { coerceBoolean, coerceNumber } from '../field-readers';
import type { FallbackMap, PerErrorClass, RouterConfig } from './router-config.types';
import {
  IGNORE_PROBLEMS,
  readFallbacks,
  readGroupRetryPolicies,
  readModelGroupAlias,
  readModelNames,
  readPerErrorClass,
  readPreCallChecks,
  readRoutingStrategy,
  readStrategyArgs,
} from './routing-value-readers';

/**
 * Defaults, LiteLLM's unless noted. `num_retries`: LiteLLM's router falls back to the OpenAI SDK's default
 * of 2 (its settings page says 3; the code is what runs). `timeout`: LiteLLM's router documents 10
 * minutes, which Tollgate's deployments already use.
 */
export const ROUTER_DEFAULTS = {
  routingStrategy: 'simple-shuffle',
  numRetries: 2,
  retryAfterSeconds: 0,
  allowedFails: 3,
  cooldownTimeSeconds: 5,
  maxFallbacks: 5,
  timeoutSeconds: 600,
  lowestLatencyBuffer: 0,
  latencyTtlSeconds: 3600,
  maxLatencyListSize: 10,
  healthCheckIntervalSeconds: 300,
} as const;

type Sections = Pick<TollgateConfig, 'router_settings' | 'litellm_settings' | 'general_settings'>;

/**
 * The router's settings from a loaded configuration (already validated by `loadConfig`): `router_settings`
 * first, then the keys LiteLLM also reads from `litellm_settings`, then the defaults above.
 */
export function routerConfigOf(config: Sections): RouterConfig {
  const router = config.router_settings;
  const litellm = config.litellm_settings;
  const shared = (key: string): unknown => router[key] ?? litellm[key];
  const number = (value: unknown, fallback: number): number => coerceNumber(value) ?? fallback;
  const flag = (value: unknown, fallback: boolean): boolean => coerceBoolean(value) ?? fallback;
  const fallbacks = (key: string): FallbackMap => readPresent(shared(key), (v) => readFallbacks(v, key, IGNORE_PROBLEMS)) ?? {};
  const perClass = (key: string, suffix: 'Retries' | 'AllowedFails'): PerErrorClass =>
    readPresent(router[key], (v) => readPerErrorClass(v, key, IGNORE_PROBLEMS, suffix)) ?? {};
  const strategyArgs = readPresent(router.routing_strategy_args, (v) => readStrategyArgs(v, 'routing_strategy_args', IGNORE_PROBLEMS)) ?? {};
  const { lowest_latency_buffer, ttl, max_latency_list_size, ...extraArgs } = strategyArgs;
  const streamTimeout = coerceNumber(router.stream_timeout);

  return {
    routingStrategy: readPresent(router.routing_strategy, (v) => readRoutingStrategy(v, 'routing_strategy', IGNORE_PROBLEMS)) ?? ROUTER_DEFAULTS.routingStrategy,
    routingStrategyArgs: {
      lowestLatencyBuffer: number(lowest_latency_buffer, ROUTER_DEFAULTS.lowestLatencyBuffer),
      ttlSeconds: number(ttl, ROUTER_DEFAULTS.latencyTtlSeconds),
      maxLatencyListSize: number(max_latency_list_size, ROUTER_DEFAULTS.maxLatencyListSize),
      extra: extraArgs,
    },
    numRetries: number(shared('num_retries'), ROUTER_DEFAULTS.numRetries),
    retryAfterSeconds: number(router.retry_after, ROUTER_DEFAULTS.retryAfterSeconds),
    retryPolicy: perClass('retry_policy', 'Retries'),
    modelGroupRetryPolicy: readPresent(router.model_group_retry_policy, (v) => readGroupRetryPolicies(v, 'model_group_retry_policy', IGNORE_PROBLEMS)) ?? {},
    allowedFails: number(shared('allowed_fails'), ROUTER_DEFAULTS.allowedFails),
    allowedFailsPolicy: perClass('allowed_fails_policy', 'AllowedFails'),
    cooldownTimeSeconds: number(shared('cooldown_time'), ROUTER_DEFAULTS.cooldownTimeSeconds),
    disableCooldowns: flag(router.disable_cooldowns, false),
    fallbacks: fallbacks('fallbacks'),
    contextWindowFallbacks: fallbacks('context_window_fallbacks'),
    contentPolicyFallbacks: fallbacks('content_policy_fallbacks'),
    defaultFallbacks: readPresent(shared('default_fallbacks'), (v) => readModelNames(v, 'default_fallbacks', IGNORE_PROBLEMS)) ?? [],
    maxFallbacks: number(shared('max_fallbacks'), ROUTER_DEFAULTS.maxFallbacks),
    timeoutSeconds: positive(router.timeout) ?? positive(litellm.request_timeout) ?? ROUTER_DEFAULTS.timeoutSeconds,
    ...(streamTimeout !== undefined && streamTimeout > 0 ? { streamTimeoutSeconds: streamTimeout } : {}),
    modelGroupAlias: readPresent(router.model_group_alias, (v) => readModelGroupAlias(v, 'model_group_alias', IGNORE_PROBLEMS)) ?? {},
    enablePreCallChecks: flag(router.enable_pre_call_checks, false),
    optionalPreCallChecks: readPresent(router.optional_pre_call_checks, (v) => readPreCallChecks(v, 'optional_pre_call_checks', IGNORE_PROBLEMS)) ?? [],
    enableTagFiltering: flag(router.enable_tag_filtering, false),
    tagFilteringMatchAny: flag(router.tag_filtering_match_any, true),
    backgroundHealthChecks: flag(config.general_settings.background_health_checks, false),
    healthCheckIntervalSeconds: positive(config.general_settings.health_check_interval) ?? ROUTER_DEFAULTS.healthCheckIntervalSeconds,
  };
}

function readPresent<T>(value: unknown, read: (value: unknown) => T | undefined): T | undefined {
  return value === undefined || value === null ? undefined : read(value);
}

function positive(value: unknown): number | undefined {
  const number = coerceNumber(value);
  return number !== undefined && number > 0 ? number : undefined;
}

export type FallbackKind = 'fallbacks' | 'context_window_fallbacks' | 'content_policy_fallbacks';

/**
 * The groups to try, in order, after `group` failed with an error of `kind`: the group's own entry, else
 * the `*` entry, else (for `fallbacks` only) `default_fallbacks`. Empty when there are none.
 */
export function fallbackTargets(config: RouterConfig, kind: FallbackKind, group: string): readonly string[] {
  const map =
    kind === 'fallbacks' ? config.fallbacks : kind === 'context_window_fallbacks' ? config.contextWindowFallbacks : config.contentPolicyFallbacks;
  // Group names come from requests, so only the map's own keys count (never `constructor` and the like).
  if (Object.hasOwn(map, group)) return map[group] as readonly string[];
  if (Object.hasOwn(map, '*')) return map['*'] as readonly string[];
  return kind === 'fallbacks' ? config.defaultFallbacks : [];
}
