import { describe, expect, it } from 'vitest';
import { useTempConfigFolder } from '../../test/temp-config';
import { loadConfig } from '../load-config';
import { fallbackTargets, ROUTER_DEFAULTS, routerConfigOf } from './router-config';
import type { RouterConfig } from './router-config.types';

const folder = useTempConfigFolder();

function routerConfigFor(yaml: string, env: NodeJS.ProcessEnv = {}): RouterConfig {
  const file = folder.write(`router-${Math.random().toString(36).slice(2)}.yaml`, yaml);
  return routerConfigOf(loadConfig(file, { env }));
}

const DEFAULT_CONFIG: RouterConfig = {
  routingStrategy: 'simple-shuffle',
  routingStrategyArgs: { lowestLatencyBuffer: 0, ttlSeconds: 3600, maxLatencyListSize: 10, extra: {} },
  numRetries: 2,
  retryAfterSeconds: 0,
  retryPolicy: {},
  modelGroupRetryPolicy: {},
  allowedFails: 3,
  allowedFailsPolicy: {},
  cooldownTimeSeconds: 5,
  disableCooldowns: false,
  fallbacks: {},
  contextWindowFallbacks: {},
  contentPolicyFallbacks: {},
  defaultFallbacks: [],
  maxFallbacks: 5,
  timeoutSeconds: 600,
  modelGroupAlias: {},
  enablePreCallChecks: false,
  optionalPreCallChecks: [],
  enableTagFiltering: false,
  tagFilteringMatchAny: true,
  backgroundHealthChecks: false,
  healthCheckIntervalSeconds: 300,
};

describe('routerConfigOf', () => {
  it('gives the documented defaults for a config without routing settings', () => {
    expect(routerConfigOf(loadConfig(undefined, { env: {} }))).toEqual(DEFAULT_CONFIG);
    expect(ROUTER_DEFAULTS).toMatchObject({ numRetries: 2, allowedFails: 3, cooldownTimeSeconds: 5, maxFallbacks: 5, timeoutSeconds: 600 });
  });

  it('reads every router_settings key', () => {
    const config = routerConfigFor(
      [
        'router_settings:',
        '  routing_strategy: latency-based-routing',
        '  routing_strategy_args: {lowest_latency_buffer: 0.5, ttl: "60", custom_knob: 7}',
        '  num_retries: 4',
        '  retry_after: 2',
        '  retry_policy: {AuthenticationErrorRetries: 0, TimeoutErrorRetries: "3"}',
        '  model_group_retry_policy: {gpt-4o: {RateLimitErrorRetries: 9}}',
        '  allowed_fails: 1',
        '  allowed_fails_policy: {RateLimitErrorAllowedFails: 100}',
        '  cooldown_time: 30',
        '  disable_cooldowns: true',
        '  fallbacks: [{gpt-4o: [claude, gpt-4o-mini]}]',
        '  context_window_fallbacks: [{gpt-4o: gpt-4o-128k}]',
        '  content_policy_fallbacks: [{claude: [gpt-4o]}]',
        '  default_fallbacks: [gpt-4o-mini]',
        '  max_fallbacks: 2',
        '  timeout: 30',
        '  stream_timeout: 5',
        '  model_group_alias: {gpt-4: gpt-4o, legacy: {model: gpt-4o-mini, hidden: true}}',
        '  enable_pre_call_checks: true',
        '  optional_pre_call_checks: [enforce_model_rate_limits, prompt_caching]',
        '  enable_tag_filtering: true',
        '  tag_filtering_match_any: false',
        'general_settings:',
        '  background_health_checks: true',
        '  health_check_interval: 60',
      ].join('\n'),
    );
    expect(config).toEqual({
      routingStrategy: 'latency-based-routing',
      routingStrategyArgs: { lowestLatencyBuffer: 0.5, ttlSeconds: 60, maxLatencyListSize: 10, extra: { custom_knob: 7 } },
      numRetries: 4,
      retryAfterSeconds: 2,
      retryPolicy: { AuthenticationError: 0, TimeoutError: 3 },
      modelGroupRetryPolicy: { 'gpt-4o': { RateLimitError: 9 } },
      allowedFails: 1,
      allowedFailsPolicy: { RateLimitError: 100 },
      cooldownTimeSeconds: 30,
      disableCooldowns: true,
      fallbacks: { 'gpt-4o': ['claude', 'gpt-4o-mini'] },
      contextWindowFallbacks: { 'gpt-4o': ['gpt-4o-128k'] },
      contentPolicyFallbacks: { claude: ['gpt-4o'] },
      defaultFallbacks: ['gpt-4o-mini'],
      maxFallbacks: 2,
      timeoutSeconds: 30,
      streamTimeoutSeconds: 5,
      modelGroupAlias: { 'gpt-4': { model: 'gpt-4o', hidden: false }, legacy: { model: 'gpt-4o-mini', hidden: true } },
      enablePreCallChecks: true,
      optionalPreCallChecks: ['enforce_model_rate_limits', 'prompt_caching'],
      enableTagFiltering: true,
      tagFilteringMatchAny: false,
      backgroundHealthChecks: true,
      healthCheckIntervalSeconds: 60,
    } satisfies RouterConfig);
  });

  it('reads the shared keys from litellm_settings when router_settings leaves them out', () => {
    const config = routerConfigFor(
      [
        'litellm_settings:',
        '  num_retries: 3',
        '  request_timeout: 10',
        '  fallbacks: [{zephyr-beta: [gpt-4o]}]',
        '  context_window_fallbacks: [{zephyr-beta: [gpt-4o-mini]}]',
        '  content_policy_fallbacks: [{zephyr-beta: [claude]}]',
        '  default_fallbacks: [claude]',
        '  allowed_fails: 7',
        '  cooldown_time: 30',
        '  max_fallbacks: 1',
      ].join('\n'),
    );
    expect(config).toMatchObject({
      numRetries: 3,
      timeoutSeconds: 10,
      fallbacks: { 'zephyr-beta': ['gpt-4o'] },
      contextWindowFallbacks: { 'zephyr-beta': ['gpt-4o-mini'] },
      contentPolicyFallbacks: { 'zephyr-beta': ['claude'] },
      defaultFallbacks: ['claude'],
      allowedFails: 7,
      cooldownTimeSeconds: 30,
      maxFallbacks: 1,
    });
  });

  it('lets router_settings win over litellm_settings key by key', () => {
    const config = routerConfigFor(
      [
        'litellm_settings:',
        '  num_retries: 3',
        '  request_timeout: 10',
        '  fallbacks: [{a: [from-litellm]}]',
        '  allowed_fails: 7',
        'router_settings:',
        '  num_retries: 0',
        '  timeout: 20',
        '  fallbacks: [{a: [from-router]}]',
      ].join('\n'),
    );
    expect(config).toMatchObject({ numRetries: 0, timeoutSeconds: 20, fallbacks: { a: ['from-router'] }, allowedFails: 7 });
  });

  it('keeps the first entry of a group listed twice in fallbacks, as LiteLLM does', () => {
    expect(routerConfigFor('router_settings:\n  fallbacks: [{a: [first]}, {a: [second]}, {b: [x]}]').fallbacks).toEqual({ a: ['first'], b: ['x'] });
  });

  it('honours a cooldown_time of 0 (no cooldown time) instead of replacing it with the default', () => {
    expect(routerConfigFor('router_settings:\n  cooldown_time: 0').cooldownTimeSeconds).toBe(0);
  });

  it('stores group names from the file as plain keys, even __proto__', () => {
    const config = routerConfigFor('router_settings:\n  fallbacks: [{__proto__: [safe]}]\n  model_group_alias: {__proto__: gpt-4o}');
    expect(Object.getPrototypeOf(config.fallbacks)).toBe(Object.prototype);
    expect(Object.keys(config.fallbacks)).toEqual(['__proto__']);
    expect(Object.keys(config.modelGroupAlias)).toEqual(['__proto__']);
  });

  it('does not change the loaded configuration', () => {
    const file = folder.write('untouched.yaml', 'router_settings:\n  retry_policy: {TimeoutErrorRetries: "3"}\n  model_group_alias: {gpt-4: gpt-4o}\n');
    const loaded = loadConfig(file, { env: {} });
    const before = structuredClone(loaded.router_settings);
    routerConfigOf(loaded);
    expect(loaded.router_settings).toEqual(before);
  });
});

describe('fallbackTargets', () => {
  const config: RouterConfig = {
    ...DEFAULT_CONFIG,
    fallbacks: { 'gpt-4o': ['claude'], '*': ['catch-all'] },
    contextWindowFallbacks: { 'gpt-4o': ['gpt-4o-128k'] },
    contentPolicyFallbacks: {},
    defaultFallbacks: ['default-model'],
  };

  it("uses the group's own entry first", () => {
    expect(fallbackTargets(config, 'fallbacks', 'gpt-4o')).toEqual(['claude']);
    expect(fallbackTargets(config, 'context_window_fallbacks', 'gpt-4o')).toEqual(['gpt-4o-128k']);
  });

  it('uses the * entry for a group without its own, before default_fallbacks', () => {
    expect(fallbackTargets(config, 'fallbacks', 'mistral')).toEqual(['catch-all']);
  });

  it('uses default_fallbacks for general errors only', () => {
    const withoutStar = { ...config, fallbacks: { 'gpt-4o': ['claude'] } };
    expect(fallbackTargets(withoutStar, 'fallbacks', 'mistral')).toEqual(['default-model']);
    expect(fallbackTargets(withoutStar, 'context_window_fallbacks', 'mistral')).toEqual([]);
    expect(fallbackTargets(withoutStar, 'content_policy_fallbacks', 'gpt-4o')).toEqual([]);
  });

  it('never answers with inherited object properties for odd group names', () => {
    const withoutStar = { ...config, fallbacks: {} };
    expect(fallbackTargets(withoutStar, 'fallbacks', 'constructor')).toEqual(['default-model']);
    expect(fallbackTargets(withoutStar, 'context_window_fallbacks', 'toString')).toEqual([]);
  });
});
