import { describe, expect, it } from 'vitest';
import { problemsOf, useTempConfigFolder } from '../../test/temp-config';
import { loadConfig } from '../load-config';

const folder = useTempConfigFolder();

function write(yaml: string): string {
  return folder.write(`routing-${Math.random().toString(36).slice(2)}.yaml`, yaml);
}

/** The problem lines of a config that must not load, without the leading file name. */
function problems(yaml: string): string[] {
  const file = write(yaml);
  return problemsOf(() => loadConfig(file, { env: {} })).map((line) => line.slice(file.length + 2));
}

const STRATEGIES = 'simple-shuffle, least-busy, usage-based-routing, usage-based-routing-v2, latency-based-routing, cost-based-routing';
const RETRY_KEYS =
  'BadRequestErrorRetries, AuthenticationErrorRetries, TimeoutErrorRetries, RateLimitErrorRetries, ContentPolicyViolationErrorRetries, InternalServerErrorRetries';
const ALLOWED_FAILS_KEYS =
  'BadRequestErrorAllowedFails, AuthenticationErrorAllowedFails, TimeoutErrorAllowedFails, RateLimitErrorAllowedFails, ContentPolicyViolationErrorAllowedFails, InternalServerErrorAllowedFails';

describe('router_settings routing keys', () => {
  it.each([
    ['routing_strategy: round-robin', `router_settings.routing_strategy: expected one of: ${STRATEGIES}; got "round-robin"`],
    ['routing_strategy_args: [1]', 'router_settings.routing_strategy_args: expected a mapping like {lowest_latency_buffer: 0.5, ttl: 60}, got a list'],
    ['routing_strategy_args: {lowest_latency_buffer: -1}', 'router_settings.routing_strategy_args.lowest_latency_buffer: expected a fraction of 0 or more, like 0.5, got -1'],
    ['routing_strategy_args: {ttl: 0}', 'router_settings.routing_strategy_args.ttl: expected a positive number of seconds, got 0'],
    ['routing_strategy_args: {max_latency_list_size: 2.5}', 'router_settings.routing_strategy_args.max_latency_list_size: expected a positive whole number, got 2.5'],
    ['num_retries: -1', 'router_settings.num_retries: expected a whole number of 0 or more, got -1'],
    ['retry_after: -2', 'router_settings.retry_after: expected a number of seconds of 0 or more, got -2'],
    ['retry_policy: 3', `router_settings.retry_policy: expected a mapping with keys among ${RETRY_KEYS}, got 3`],
    ['retry_policy: {TimeoutErrorRetry: 3}', `router_settings.retry_policy.TimeoutErrorRetry: unknown key; expected one of: ${RETRY_KEYS}`],
    ['retry_policy: {RateLimitErrorRetries: -1}', 'router_settings.retry_policy.RateLimitErrorRetries: expected a whole number of 0 or more, got -1'],
    ['model_group_retry_policy: [a]', 'router_settings.model_group_retry_policy: expected a mapping of model group name to retry policy, got a list'],
    [
      'model_group_retry_policy: {gpt-4o: {BadRequestErrorRetries: x}}',
      'router_settings.model_group_retry_policy.gpt-4o.BadRequestErrorRetries: expected a whole number of 0 or more, got "x"',
    ],
    ['allowed_fails: many', 'router_settings.allowed_fails: expected a whole number of 0 or more, got "many"'],
    ['allowed_fails_policy: {RateLimitErrorRetries: 3}', `router_settings.allowed_fails_policy.RateLimitErrorRetries: unknown key; expected one of: ${ALLOWED_FAILS_KEYS}`],
    ['cooldown_time: -1', 'router_settings.cooldown_time: expected a number of seconds of 0 or more, got -1'],
    ['disable_cooldowns: maybe', 'router_settings.disable_cooldowns: expected true or false, got "maybe"'],
    ['fallbacks: {gpt-4o: [x]}', 'router_settings.fallbacks: expected a list of single-key mappings like [{"gpt-4o": ["gpt-4o-mini"]}], got a mapping'],
    ['fallbacks: [gpt-4o]', 'router_settings.fallbacks[0]: expected a mapping with exactly one key (the model group) like {"gpt-4o": ["gpt-4o-mini"]}, got "gpt-4o"'],
    [
      'fallbacks: [{a: [b], c: [d]}]',
      'router_settings.fallbacks[0]: expected a mapping with exactly one key (the model group) like {"gpt-4o": ["gpt-4o-mini"]}, got a mapping with 2 keys',
    ],
    ['fallbacks: [{a: [b, 1]}]', 'router_settings.fallbacks[0].a[1]: expected a model name (a non-empty string), got 1'],
    ['context_window_fallbacks: [{a: {b: c}}]', 'router_settings.context_window_fallbacks[0].a: expected a list of model names, got a mapping'],
    ['content_policy_fallbacks: "a"', 'router_settings.content_policy_fallbacks: expected a list of single-key mappings like [{"gpt-4o": ["gpt-4o-mini"]}], got "a"'],
    ['default_fallbacks: 5', 'router_settings.default_fallbacks: expected a list of model names, got 5'],
    ['default_fallbacks: [""]', 'router_settings.default_fallbacks[0]: expected a model name (a non-empty string), got ""'],
    ['max_fallbacks: -1', 'router_settings.max_fallbacks: expected a whole number of 0 or more, got -1'],
    ['model_group_alias: [a]', 'router_settings.model_group_alias: expected a mapping like {"gpt-4": "gpt-4o"}, got a list'],
    ['model_group_alias: {gpt-4: 3}', 'router_settings.model_group_alias.gpt-4: expected a model group name or a mapping like {model: gpt-4o, hidden: true}, got 3'],
    ['model_group_alias: {gpt-4: {model: gpt-4o, hiden: true}}', 'router_settings.model_group_alias.gpt-4.hiden: unknown key; expected one of: model, hidden'],
    ['model_group_alias: {gpt-4: {hidden: true}}', 'router_settings.model_group_alias.gpt-4.model: expected a model name (a non-empty string), got nothing (null)'],
    ['model_group_alias: {gpt-4: {model: gpt-4o, hidden: sometimes}}', 'router_settings.model_group_alias.gpt-4.hidden: expected true or false, got "sometimes"'],
    ['enable_pre_call_checks: sometimes', 'router_settings.enable_pre_call_checks: expected true or false, got "sometimes"'],
    [
      'optional_pre_call_checks: enforce_model_rate_limits',
      'router_settings.optional_pre_call_checks: expected a list of check names such as ["enforce_model_rate_limits"], got "enforce_model_rate_limits"',
    ],
    ['optional_pre_call_checks: [enforce_model_rate_limits, 3]', 'router_settings.optional_pre_call_checks[1]: expected a check name (a non-empty string), got 3'],
    ['enable_tag_filtering: 2', 'router_settings.enable_tag_filtering: expected true or false, got 2'],
    ['tag_filtering_match_any: all', 'router_settings.tag_filtering_match_any: expected true or false, got "all"'],
  ])('%s', (line, expected) => {
    expect(problems(`router_settings:\n  ${line}\n`)).toEqual([expected]);
  });

  it('reports every problem of the section at once', () => {
    expect(problems('router_settings:\n  num_retries: x\n  fallbacks: [{a: 1}]\n  retry_policy: {Nope: 1, TimeoutErrorRetries: -1}\n')).toEqual([
      'router_settings.num_retries: expected a whole number of 0 or more, got "x"',
      'router_settings.fallbacks[0].a: expected a list of model names, got 1',
      `router_settings.retry_policy.Nope: unknown key; expected one of: ${RETRY_KEYS}`,
      'router_settings.retry_policy.TimeoutErrorRetries: expected a whole number of 0 or more, got -1',
    ]);
  });

  it('quotes group names that are not plain identifiers in problem paths', () => {
    expect(problems('router_settings:\n  fallbacks: [{"gpt-3.5-turbo": [""]}]\n')).toEqual([
      'router_settings.fallbacks[0]["gpt-3.5-turbo"][0]: expected a model name (a non-empty string), got ""',
    ]);
  });

  it('accepts numbers and booleans written as strings, as environment references produce them', () => {
    const file = write(
      'router_settings:\n  num_retries: os.environ/N\n  enable_pre_call_checks: os.environ/P\n  retry_policy: {TimeoutErrorRetries: "4"}\n  routing_strategy_args: {ttl: "60"}\n',
    );
    const config = loadConfig(file, { env: { N: '1', P: 'yes' } });
    expect(config.router_settings).toMatchObject({ num_retries: 1, enable_pre_call_checks: true });
  });
});

describe('litellm_settings routing keys', () => {
  it.each([
    ['num_retries: 1.5', 'litellm_settings.num_retries: expected a whole number of 0 or more, got 1.5'],
    ['allowed_fails: -3', 'litellm_settings.allowed_fails: expected a whole number of 0 or more, got -3'],
    ['cooldown_time: soon', 'litellm_settings.cooldown_time: expected a number of seconds of 0 or more, got "soon"'],
    ['fallbacks: [{zephyr-beta: 3}]', 'litellm_settings.fallbacks[0].zephyr-beta: expected a list of model names, got 3'],
    ['context_window_fallbacks: 1', 'litellm_settings.context_window_fallbacks: expected a list of single-key mappings like [{"gpt-4o": ["gpt-4o-mini"]}], got 1'],
    ['default_fallbacks: {a: b}', 'litellm_settings.default_fallbacks: expected a list of model names, got a mapping'],
    ['max_fallbacks: "-1"', 'litellm_settings.max_fallbacks: expected a whole number of 0 or more, got "-1"'],
  ])('%s', (line, expected) => {
    expect(problems(`litellm_settings:\n  ${line}\n`)).toEqual([expected]);
  });

  it('leaves router-only keys in litellm_settings alone (LiteLLM ignores them there too)', () => {
    const config = loadConfig(write('litellm_settings:\n  routing_strategy: not-a-strategy\n'), { env: {} });
    expect(config.unusedKeys).toEqual(['litellm_settings.routing_strategy']);
  });
});

describe('general_settings health-check keys', () => {
  it('checks background_health_checks and health_check_interval', () => {
    expect(problems('general_settings:\n  background_health_checks: maybe\n  health_check_interval: 0\n')).toEqual([
      'general_settings.background_health_checks: expected true or false, got "maybe"',
      'general_settings.health_check_interval: expected a positive number of seconds, got 0',
    ]);
  });
});

describe('deployment routing fields', () => {
  const deployment = (extra: string) => `model_list:\n  - model_name: m\n    litellm_params:\n      model: openai/m\n${extra}`;

  it('litellm_params.tags must be a list of non-empty strings', () => {
    expect(problems(deployment('      tags: free\n'))).toEqual(['model_list[0].litellm_params.tags: expected a list of tags like ["free", "default"], got "free"']);
    expect(problems(deployment('      tags: [free, 3]\n'))).toEqual(['model_list[0].litellm_params.tags[1]: expected a tag (a non-empty string), got 3']);
  });

  it('model_info.max_input_tokens must be a positive whole number', () => {
    expect(problems(deployment('    model_info:\n      max_input_tokens: -5\n'))).toEqual([
      'model_list[0].model_info.max_input_tokens: expected a positive whole number of tokens, got -5',
    ]);
  });

  it('reads valid tags and context windows, coercing a window given as a string', () => {
    const config = loadConfig(write(deployment('      tags: [free, default]\n    model_info:\n      max_input_tokens: "8192"\n')), { env: {} });
    expect(config.model_list[0]?.litellm_params.tags).toEqual(['free', 'default']);
    expect(config.model_list[0]?.model_info.max_input_tokens).toBe(8192);
  });
});
