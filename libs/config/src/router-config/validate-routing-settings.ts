import { childPath } from '../config-path';
import { readBoolean, readNumber } from '../field-readers';
import { ValidationContext } from '../validation-context';
import {
  type ProblemReporter,
  readFallbacks,
  readGroupRetryPolicies,
  readModelGroupAlias,
  readModelNames,
  readPerErrorClass,
  readPreCallChecks,
  readRoutingStrategy,
  readStrategyArgs,
} from './routing-value-readers';

type Mapping = Record<string, unknown>;

/**
 * Routing keys LiteLLM reads from `litellm_settings` as well as from `router_settings` (where both set
 * one, `router_settings` wins).
 */
export const SHARED_ROUTING_KEYS = [
  'num_retries',
  'allowed_fails',
  'cooldown_time',
  'fallbacks',
  'context_window_fallbacks',
  'content_policy_fallbacks',
  'default_fallbacks',
  'max_fallbacks',
] as const;

/** Routing keys read from `router_settings` only. */
export const ROUTER_ONLY_ROUTING_KEYS = [
  'routing_strategy',
  'routing_strategy_args',
  'retry_after',
  'retry_policy',
  'model_group_retry_policy',
  'allowed_fails_policy',
  'disable_cooldowns',
  'model_group_alias',
  'enable_pre_call_checks',
  'optional_pre_call_checks',
  'enable_tag_filtering',
  'tag_filtering_match_any',
] as const;

/** Health-check keys, which LiteLLM reads from `general_settings`. */
export const HEALTH_CHECK_KEYS = ['background_health_checks', 'health_check_interval'] as const;

const SECONDS = 'a positive number of seconds';

type StructuredReader = (value: unknown, path: string, report: ProblemReporter) => unknown;

/** Checks a structured value; an unusable one is removed so typed readers never meet it. */
function checkStructured(ctx: ValidationContext, section: Mapping, key: string, path: string, reader: StructuredReader): void {
  const value = section[key];
  if (value === undefined || value === null) return;
  const report: ProblemReporter = (problemPath, message) => ctx.report.problem(problemPath, message);
  if (reader(value, childPath(path, key), report) === undefined) delete section[key];
}

function validateSharedKeys(ctx: ValidationContext, section: Mapping, path: string): void {
  readNumber(ctx, section, 'num_retries', path, { sign: 'non-negative', integer: true });
  readNumber(ctx, section, 'allowed_fails', path, { sign: 'non-negative', integer: true });
  readNumber(ctx, section, 'cooldown_time', path, { sign: 'non-negative', expected: 'a number of seconds of 0 or more' });
  readNumber(ctx, section, 'max_fallbacks', path, { sign: 'non-negative', integer: true });
  for (const key of ['fallbacks', 'context_window_fallbacks', 'content_policy_fallbacks']) {
    checkStructured(ctx, section, key, path, readFallbacks);
  }
  checkStructured(ctx, section, 'default_fallbacks', path, readModelNames);
}

/** The routing keys of `router_settings` (timeouts and Redis are checked with the rest of the section). */
export function validateRouterRoutingKeys(ctx: ValidationContext, section: Mapping, path = 'router_settings'): void {
  validateSharedKeys(ctx, section, path);
  checkStructured(ctx, section, 'routing_strategy', path, readRoutingStrategy);
  checkStructured(ctx, section, 'routing_strategy_args', path, readStrategyArgs);
  readNumber(ctx, section, 'retry_after', path, { sign: 'non-negative', expected: 'a number of seconds of 0 or more' });
  checkStructured(ctx, section, 'retry_policy', path, (value, at, report) => readPerErrorClass(value, at, report, 'Retries'));
  checkStructured(ctx, section, 'allowed_fails_policy', path, (value, at, report) => readPerErrorClass(value, at, report, 'AllowedFails'));
  checkStructured(ctx, section, 'model_group_retry_policy', path, readGroupRetryPolicies);
  checkStructured(ctx, section, 'model_group_alias', path, readModelGroupAlias);
  checkStructured(ctx, section, 'optional_pre_call_checks', path, readPreCallChecks);
  for (const key of ['disable_cooldowns', 'enable_pre_call_checks', 'enable_tag_filtering', 'tag_filtering_match_any']) {
    readBoolean(ctx, section, key, path);
  }
}

/** The routing keys LiteLLM also accepts in `litellm_settings`. */
export function validateLitellmRoutingKeys(ctx: ValidationContext, section: Mapping, path = 'litellm_settings'): void {
  validateSharedKeys(ctx, section, path);
}

/** `background_health_checks` and `health_check_interval` of `general_settings`. */
export function validateHealthCheckKeys(ctx: ValidationContext, section: Mapping, path = 'general_settings'): void {
  readBoolean(ctx, section, 'background_health_checks', path);
  readNumber(ctx, section, 'health_check_interval', path, { sign: 'positive', expected: SECONDS });
}
