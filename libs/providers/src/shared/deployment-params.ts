import type { LitellmParams } from '@tollgate/config';

/**
 * `litellm_params` keys that configure the deployment itself (routing, pricing, credentials). Every other
 * key is a provider parameter sent upstream with each request (for example a default `temperature`).
 */
const DEPLOYMENT_SETTINGS = new Set([
  'model',
  'api_base',
  'api_key',
  'api_version',
  'organization',
  'timeout',
  'stream_timeout',
  'rpm',
  'tpm',
  'weight',
  'order',
  'max_retries',
  'max_parallel_requests',
  'tags',
  'region_name',
  'base_model',
  'custom_llm_provider',
  'litellm_credential_name',
  'use_in_pass_through',
  'mock_response',
  'metadata',
  'latency_ms',
  'chunk_delay_ms',
  'drop_params',
  'extra_headers',
  'input_cost_per_token',
  'output_cost_per_token',
  'input_cost_per_second',
  'output_cost_per_second',
  'cache_read_input_token_cost',
  'cache_creation_input_token_cost',
  'output_cost_per_reasoning_token',
  'cooldown_time',
  'max_budget',
  'budget_duration',
  'health_check_model',
  'num_retries',
]);

/**
 * Families of connection settings (credentials, regions, projects) read by the providers themselves, and
 * LiteLLM's own bookkeeping keys: never part of a request body.
 */
const SETTING_PREFIXES = /^(aws_|vertex_|azure_|api_|litellm_|hf_|watsonx_|ollama_|use_)|(_key|_token|_secret|_password|_credentials|_region(_name)?)$/;

/** The provider parameters of a deployment: its `litellm_params` minus the deployment and connection settings. */
export function providerDefaults(params: LitellmParams): Record<string, unknown> | undefined {
  let defaults: Record<string, unknown> | undefined;
  for (const key of Object.keys(params)) {
    if (DEPLOYMENT_SETTINGS.has(key) || SETTING_PREFIXES.test(key) || params[key] === undefined) continue;
    (defaults ??= {})[key] = params[key];
  }
  return defaults;
}

/**
 * The request over its deployment's default params, as `{ ...defaults, ...request }` would be, without the slow
 * path V8 takes for a literal that opens with a spread and goes on (see test/layout/hot-path-literals.spec.ts).
 * Request bodies cannot carry a `__proto__` key (Fastify refuses them), so assigning copies the same keys.
 */
export function overDefaults<T extends object>(defaults: Record<string, unknown> | undefined, request: T): Record<string, unknown> & T {
  return (defaults ? Object.assign({}, defaults, request) : Object.assign({}, request)) as Record<string, unknown> & T;
}

/** `extra_headers` from the deployment, as strings. */
export function extraHeaders(params: LitellmParams): Record<string, string> {
  const raw = params.extra_headers;
  const headers: Record<string, string> = {};
  if (raw && typeof raw === 'object') {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
  }
  return headers;
}
