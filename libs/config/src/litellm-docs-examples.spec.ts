import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../test/temp-config';
import { TollgateConfig } from './config.types';
import { loadConfig } from './load-config';
import { routerConfigOf } from './router-config';

/**
 * The config.yaml examples from LiteLLM's public docs (one fixture per example, each naming its page in
 * its first line) must load as they are. Each is loaded twice: with the variables its references name
 * set, and with an empty environment (references then only warn, unless they fill a required field).
 */
const DOCS_DIR = path.join(FIXTURES_DIR, 'litellm-docs');

const ENV: NodeJS.ProcessEnv = {
  AZURE_API_KEY: 'azure-key',
  AZURE_API_KEY_2: 'azure-key-2',
  AZURE_API_KEY_EU: 'azure-key-eu',
  AZURE_API_KEY_CA: 'azure-key-ca',
  AZURE_API_BASE: 'https://my-azure.openai.azure.com/',
  AZURE_NORTH_AMERICA_API_KEY: 'azure-key-na',
  OPENAI_API_KEY: 'sk-openai',
  ANTHROPIC_API_KEY: 'sk-ant',
  GROQ_API_KEY: 'gsk-groq',
  REDIS_HOST: 'redis.internal',
  REDIS_PORT: '6379',
  REDIS_PASSWORD: 'redis-pw',
  LITELLM_MASTER_KEY: 'sk-master-from-env',
  LANGFUSE_PROJECT1_PUBLIC: 'pk-1',
  LANGFUSE_PROJECT1_SECRET: 'sk-lf-1',
};

type Expectation = (config: TollgateConfig) => void;

const EXPECTATIONS: Record<string, Expectation> = {
  'configs-quick-start.yaml': (c) => {
    expect(c.model_list.map((d) => d.model_name)).toEqual(['gpt-4o', 'bedrock-claude-v1', 'gpt-4o', 'anthropic-claude', 'vllm-models', '*']);
    expect(c.model_list[0]?.litellm_params).toMatchObject({ model: 'azure/gpt-4o-eu', api_key: 'azure-key-eu', rpm: 6 });
    expect(c.model_list[5]?.litellm_params.model).toBe('*');
    expect(c.litellm_settings.drop_params).toBe(true);
    expect(c.runtime.masterKey).toBe('sk-master-from-env');
    expect(c.general_settings.master_key).toBe('sk-1234');
    expect(c.unusedKeys).toEqual(['general_settings.alerting', 'litellm_settings.success_callback']);
  },
  'configs-model-specific-params.yaml': (c) => {
    expect(c.model_list).toHaveLength(4);
    expect(c.model_list[0]?.litellm_params).toMatchObject({ api_version: '2023-05-15', seed: 12, max_tokens: 20 });
    expect(c.model_list[2]?.litellm_params.extra_headers).toEqual({ 'AI-Resource Group': 'ishaan-resource' });
  },
  'configs-embedding-models.yaml': (c) => {
    expect(c.model_list).toHaveLength(3);
    expect(c.model_list[2]?.litellm_params).toMatchObject({ model: 'azure/azure-embedding-model', api_base: 'https://my-azure.openai.azure.com/' });
  },
  'configs-load-balancing.yaml': (c) => {
    expect(c.model_list.filter((d) => d.model_name === 'zephyr-beta')).toHaveLength(3);
    expect(c.litellm_settings).toMatchObject({ num_retries: 3, request_timeout: 10, fallbacks: [{ 'zephyr-beta': ['gpt-4o'] }] });
    expect(c.router_settings).toMatchObject({ routing_strategy: 'simple-shuffle', num_retries: 2, timeout: 30, redis_port: 1992 });
    expect(c.runtime.redisUrl).toBe('redis://:my-redis-password@redis.example.internal:1992');
    expect(routerConfigOf(c)).toMatchObject({
      numRetries: 2,
      timeoutSeconds: 30,
      fallbacks: { 'zephyr-beta': ['gpt-4o'] },
      contextWindowFallbacks: { 'zephyr-beta': ['gpt-4o-mini'], 'gpt-4o': ['gpt-4o-mini'] },
      allowedFails: 3,
      modelGroupAlias: { 'gpt-4': { model: 'gpt-4o', hidden: false } },
    });
  },
  'configs-env-references.yaml': (c) => {
    expect(c.model_list[0]?.litellm_params.api_key).toBe('azure-key-na');
  },
  'configs-credential-list.yaml': (c) => {
    expect(c.model_list[0]?.litellm_params.litellm_credential_name).toBe('default_azure_credential');
    expect(c.otherSections.credential_list).toEqual([
      {
        credential_name: 'default_azure_credential',
        credential_values: { api_key: 'azure-key', api_base: 'https://my-azure.openai.azure.com/', api_version: '2023-05-15' },
        credential_info: { description: 'Production credentials for EU region', custom_llm_provider: 'azure' },
      },
    ]);
    expect(c.unusedKeys).toContain('credential_list');
  },
  'configs-supported-environments.yaml': (c) => {
    expect(c.model_list.map((d) => d.model_info.supported_environments)).toEqual([
      ['development', 'production', 'staging'],
      ['production', 'staging'],
      ['production'],
    ]);
  },
  'wildcard-routing.yaml': (c) => {
    expect(c.model_list.map((d) => d.litellm_params.model)).toEqual(['anthropic/*', 'groq/*', 'openai/fo::*:static::*']);
  },
  'pagerduty-alerting.yaml': (c) => {
    expect(c.model_list[0]).toMatchObject({ model_name: 'openai/*', litellm_params: { model: 'openai/*', api_key: 'sk-openai' } });
    expect(c.general_settings.alerting).toEqual(['pagerduty']);
  },
  'prod-redis.yaml': (c) => {
    expect(c.router_settings).toMatchObject({ redis_host: 'redis.internal', redis_port: 6379, redis_password: 'redis-pw' });
    expect(c.runtime.redisUrl).toBe('redis://:redis-pw@redis.internal:6379');
    expect(c.litellm_settings).toMatchObject({ request_timeout: 600, cache: true, cache_params: { type: 'redis', port: '6379' } });
  },
  'caching-redis.yaml': (c) => {
    expect(c.model_list.map((d) => d.model_name)).toEqual(['gpt-3.5-turbo', 'text-embedding-ada-002']);
    expect(c.litellm_settings.cache_params).toEqual({ type: 'redis', namespace: 'litellm.caching.caching', ttl: 600 });
    expect(c.unusedKeys).toEqual(['litellm_settings.set_verbose', 'litellm_settings.cache', 'litellm_settings.cache_params']);
  },
  'caching-redis-auth-cache.yaml': (c) => {
    expect(c.model_list).toEqual([]);
    expect(c.litellm_settings.enable_redis_auth_cache).toBe(true);
  },
  'reliability-fallbacks.yaml': (c) => {
    expect(c.model_list).toHaveLength(5);
    expect(c.litellm_settings).toMatchObject({ num_retries: 3, fallbacks: [{ 'zephyr-beta': ['gpt-4o-mini'] }], cooldown_time: 30 });
    expect(routerConfigOf(c)).toMatchObject({
      numRetries: 3,
      timeoutSeconds: 10,
      fallbacks: { 'zephyr-beta': ['gpt-4o-mini'] },
      allowedFails: 3,
      cooldownTimeSeconds: 30,
    });
    expect(c.unusedKeys).toEqual([]);
  },
  'reliability-quick-start.yaml': (c) => {
    expect(c.model_list.map((d) => d.model_name)).toEqual(['gpt-3.5-turbo', 'gpt-4']);
    expect(routerConfigOf(c).fallbacks).toEqual({ 'gpt-3.5-turbo': ['gpt-4'] });
  },
  'reliability-pre-call-checks.yaml': (c) => {
    expect(c.model_list[0]?.model_info.base_model).toBe('azure/gpt-4-1106-preview');
    expect(routerConfigOf(c).enablePreCallChecks).toBe(true);
  },
  'reliability-context-window-fallbacks.yaml': (c) => {
    expect(c.model_list.map((d) => d.model_name)).toEqual(['gpt-3.5-turbo-small', 'gpt-3.5-turbo-large', 'claude-opus']);
    expect(routerConfigOf(c)).toMatchObject({
      enablePreCallChecks: true,
      contextWindowFallbacks: { 'gpt-3.5-turbo-small': ['gpt-3.5-turbo-large', 'claude-opus'] },
    });
  },
  'reliability-content-policy-fallbacks.yaml': (c) => {
    expect(routerConfigOf(c).contentPolicyFallbacks).toEqual({ 'gpt-3.5-turbo-small': ['claude-opus'] });
  },
  'reliability-default-fallbacks.yaml': (c) => {
    expect(routerConfigOf(c).defaultFallbacks).toEqual(['claude-opus']);
  },
  'reliability-wildcard-fallbacks.yaml': (c) => {
    expect(c.model_list.map((d) => d.model_name)).toEqual(['gpt-4o', 'azure/*']);
    expect(routerConfigOf(c).fallbacks).toEqual({ 'gpt-4o': ['azure/gpt-4o'] });
  },
  'routing-retry-allowed-fails-policy.yaml': (c) => {
    const router = routerConfigOf(c);
    expect(router.retryPolicy).toEqual({ BadRequestError: 3, ContentPolicyViolationError: 4 });
    expect(router.allowedFailsPolicy).toEqual({ ContentPolicyViolationError: 1000, RateLimitError: 100 });
  },
  'routing-cooldowns.yaml': (c) => {
    expect(c.model_list[0]?.litellm_params.cooldown_time).toBe(0);
    expect(routerConfigOf(c)).toMatchObject({ allowedFails: 3, cooldownTimeSeconds: 30 });
  },
  'routing-latency-args.yaml': (c) => {
    expect(routerConfigOf(c)).toMatchObject({
      routingStrategy: 'latency-based-routing',
      routingStrategyArgs: { ttlSeconds: 10, lowestLatencyBuffer: 0.5 },
    });
  },
  'routing-usage-based-v2.yaml': (c) => {
    expect(c.model_list.map((d) => d.litellm_params.rpm)).toEqual([10000, 1000]);
    expect(routerConfigOf(c).routingStrategy).toBe('simple-shuffle');
    // The docs spell it enable_pre_call_check here; LiteLLM's router has no such argument and ignores it.
    expect(c.unusedKeys).toEqual(['router_settings.enable_pre_call_check']);
    expect(routerConfigOf(c).enablePreCallChecks).toBe(false);
  },
  'tag-routing.yaml': (c) => {
    expect(c.model_list.map((d) => d.litellm_params.tags)).toEqual([['free'], ['paid'], ['default']]);
    expect(routerConfigOf(c)).toMatchObject({ enableTagFiltering: true, tagFilteringMatchAny: true });
  },
  'config-settings-router-settings.yaml': (c) => {
    expect(routerConfigOf(c)).toMatchObject({
      routingStrategy: 'simple-shuffle',
      enablePreCallChecks: true,
      allowedFails: 3,
      cooldownTimeSeconds: 30,
      disableCooldowns: true,
      enableTagFiltering: true,
      tagFilteringMatchAny: true,
      retryPolicy: { AuthenticationError: 3, TimeoutError: 3, RateLimitError: 3, ContentPolicyViolationError: 4, InternalServerError: 4 },
      allowedFailsPolicy: {
        BadRequestError: 1000,
        AuthenticationError: 10,
        TimeoutError: 12,
        RateLimitError: 10000,
        ContentPolicyViolationError: 15,
        InternalServerError: 20,
      },
      contentPolicyFallbacks: { 'claude-2': ['my-fallback-model'] },
      fallbacks: { 'claude-2': ['my-fallback-model'] },
    });
    expect(c.runtime.redisUrl).toBe('redis://:my-redis-password@redis.example.internal:6379');
    expect(c.unusedKeys).toEqual([]);
  },
  'load-balancing-router-settings.yaml': (c) => {
    expect(routerConfigOf(c)).toMatchObject({
      modelGroupAlias: { 'gpt-4': { model: 'gpt-3.5-turbo', hidden: false } },
      routingStrategy: 'least-busy',
      numRetries: 2,
      timeoutSeconds: 30,
    });
  },
  'reliability-fallback-model-id.yaml': (c) => {
    expect(c.model_list[0]?.model_info.id).toBe('my-specific-model-id');
    expect(c.litellm_settings.fallbacks).toEqual([{ 'gpt-4o': ['my-specific-model-id'] }]);
    expect(routerConfigOf(c).fallbacks).toEqual({ 'gpt-4o': ['my-specific-model-id'] });
  },
  'load-balancing-rate-limits.yaml': (c) => {
    expect(c.model_list[0]).toMatchObject({ rpm: 60, tpm: 90000 });
    expect(c.unusedKeys).toEqual([]);
    expect(c.router_settings.optional_pre_call_checks).toEqual(['enforce_model_rate_limits']);
    expect(c.runtime.redisUrl).toBe('redis://:your-password@redis.example.com:6379');
  },
  'load-balancing-order.yaml': (c) => {
    expect(c.model_list.map((d) => d.litellm_params.order)).toEqual([1, 2, undefined]);
    expect(c.router_settings.fallbacks).toEqual([{ 'gpt-4o': ['gpt-4-fallback'] }]);
    expect(routerConfigOf(c).fallbacks).toEqual({ 'gpt-4o': ['gpt-4-fallback'] });
  },
  'virtual-keys-quick-start.yaml': (c) => {
    expect(c.model_list).toHaveLength(2);
    expect(c.general_settings.master_key).toBe('sk-master-from-env');
    expect(c.runtime.databaseUrl).toBe('postgresql://llmproxy:dbpassword9090@db.example.internal:5432/litellm');
  },
  'virtual-keys-custom-header.yaml': (c) => {
    expect(c.model_list[0]?.litellm_params.api_base).toBe('https://exampleopenaiendpoint-production.up.railway.app/');
    expect(c.general_settings.litellm_key_header_name).toBe('X-Litellm-Key');
  },
  'docker-quick-start-no-db.yaml': (c) => {
    expect(c.model_list).toEqual([{ model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', api_key: 'sk-openai' }, model_info: {} }]);
    expect(c.runtime.databaseUrl).toBeUndefined();
  },
  'repo-load-balancer.yaml': (c) => {
    expect(c.model_list).toHaveLength(4);
    expect(c.environment_variables).toEqual({ REDIS_HOST: 'localhost', REDIS_PASSWORD: 'eYVX71', REDIS_PORT: '6329' });
    expect(c.runtime.redisUrl).toBe('redis://:eYVX71@localhost:6329');
  },
  'repo-proxy-server-config.yaml': (c) => {
    expect(c.model_list).toHaveLength(19);
    expect(c.model_list[0]?.model_info.id).toBe('1');
    expect(c.model_list[7]?.litellm_params).toMatchObject({ model: 'azure/', api_version: '2023-06-01-preview' });
    expect(c.model_list[10]?.litellm_params.stream_timeout).toBe(0.001);
    const teams = c.litellm_settings.default_team_settings as Array<Record<string, unknown>>;
    expect(teams[0]).toMatchObject({ langfuse_public_key: 'pk-1', langfuse_secret: 'sk-lf-1' });
    expect(c.router_settings.redis_port).toBe(6379);
    expect(c.runtime.redisUrl).toBe('redis://:redis-pw@redis.internal:6379');
  },
};

const fixtureFiles = fs.readdirSync(DOCS_DIR).filter((name) => name.endsWith('.yaml')).sort();

describe('LiteLLM docs config examples', () => {
  it('has at least 10 examples, each with expectations and a first-line comment naming its source', () => {
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(10);
    expect(fixtureFiles).toEqual(Object.keys(EXPECTATIONS).sort());
    for (const name of fixtureFiles) {
      expect(fs.readFileSync(path.join(DOCS_DIR, name), 'utf8').split('\n')[0]).toMatch(/^# Mirrors .+/);
    }
  });

  describe.each(fixtureFiles)('%s', (name) => {
    const file = path.join(DOCS_DIR, name);

    it('loads with its variables set, and the settings come through', () => {
      const config = loadConfig(file, { env: { ...ENV } });
      EXPECTATIONS[name]?.(config);
      expect(() => routerConfigOf(config)).not.toThrow();
    });

    it('loads with an empty environment, unset references only warning', () => {
      const config = loadConfig(file, { env: {} });
      expect(config.model_list).toHaveLength(loadConfig(file, { env: { ...ENV } }).model_list.length);
      const usesReferences = fs.readFileSync(file, 'utf8').includes('os.environ/');
      expect(config.warnings.length > 0).toBe(usesReferences);
      for (const warning of config.warnings) expect(warning).toMatch(/is not set; the (setting was left out|list item is null)$/);
    });
  });
});
