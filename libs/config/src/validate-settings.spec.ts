import { describe, expect, it } from 'vitest';
import { problemsOf, useTempConfigFolder } from '../test/temp-config';
import { loadConfig } from './load-config';

const folder = useTempConfigFolder();

function load(section: string, body: string, env: NodeJS.ProcessEnv = {}) {
  const file = folder.write(`${section}-${Math.random().toString(36).slice(2)}.yaml`, `${section}:\n${body}\n`);
  return { file, load: () => loadConfig(file, { env }) };
}

function onlyProblem(section: string, body: string): string {
  const { file, load: run } = load(section, body);
  const problems = problemsOf(run);
  expect(problems).toHaveLength(1);
  return (problems[0] ?? '').slice(file.length + 2);
}

describe('general_settings', () => {
  it('reads master_key, database_url and max_request_size_mb', () => {
    const { load: run } = load('general_settings', '  master_key: sk-admin\n  database_url: postgresql://db/x\n  max_request_size_mb: "2.5"');
    expect(run().general_settings).toMatchObject({ master_key: 'sk-admin', database_url: 'postgresql://db/x', max_request_size_mb: 2.5 });
  });

  it('rejects a non-string master_key or database_url without showing the value', () => {
    expect(onlyProblem('general_settings', '  master_key: 1234567')).toBe('general_settings.master_key: expected a string, got a number');
    expect(onlyProblem('general_settings', '  database_url: [postgresql://u:p@h/d]')).toBe(
      'general_settings.database_url: expected a PostgreSQL URL string, got a list',
    );
  });

  it('reads the budget-reset settings under their LiteLLM names', () => {
    const { load: run } = load('general_settings', '  disable_reset_budget: "yes"\n  proxy_budget_rescheduler_min_time: "0.2"');
    expect(run().general_settings).toMatchObject({ disable_reset_budget: true, proxy_budget_rescheduler_min_time: 0.2 });
    expect(onlyProblem('general_settings', '  proxy_budget_rescheduler_min_time: 0')).toBe(
      'general_settings.proxy_budget_rescheduler_min_time: expected a positive number of seconds, got 0',
    );
    expect(onlyProblem('general_settings', '  disable_reset_budget: sometimes')).toBe('general_settings.disable_reset_budget: expected true or false, got "sometimes"');
  });

  it('max_request_size_mb must be positive', () => {
    expect(onlyProblem('general_settings', '  max_request_size_mb: 0')).toBe(
      'general_settings.max_request_size_mb: expected a positive number of megabytes, got 0',
    );
  });
});

describe('litellm_settings', () => {
  it('drop_params accepts booleans and the strings "true"/"false"', () => {
    expect(load('litellm_settings', '  drop_params: True').load().litellm_settings.drop_params).toBe(true);
    expect(load('litellm_settings', '  drop_params: "false"').load().litellm_settings.drop_params).toBe(false);
    expect(load('litellm_settings', '  drop_params: os.environ/DROP', { DROP: 'TRUE' }).load().litellm_settings.drop_params).toBe(true);
    expect(onlyProblem('litellm_settings', '  drop_params: maybe')).toBe('litellm_settings.drop_params: expected true or false, got "maybe"');
  });

  it('request_timeout must be a positive number and num_retries a whole number of 0 or more', () => {
    expect(load('litellm_settings', '  request_timeout: "600"\n  num_retries: 3').load().litellm_settings).toMatchObject({
      request_timeout: 600,
      num_retries: 3,
    });
    expect(onlyProblem('litellm_settings', '  request_timeout: forever')).toBe(
      'litellm_settings.request_timeout: expected a positive number of seconds, got "forever"',
    );
    expect(onlyProblem('litellm_settings', '  num_retries: 1.5')).toBe('litellm_settings.num_retries: expected a whole number of 0 or more, got 1.5');
  });

  it('budgets: max_budget and max_end_user_budget are USD of 0 or more, max_end_user_budget_id a budget id', () => {
    expect(load('litellm_settings', '  max_budget: 100\n  max_end_user_budget: "0.5"\n  max_end_user_budget_id: tier-1').load().litellm_settings).toMatchObject({
      max_budget: 100,
      max_end_user_budget: 0.5,
      max_end_user_budget_id: 'tier-1',
    });
    expect(onlyProblem('litellm_settings', '  max_end_user_budget: -1')).toBe('litellm_settings.max_end_user_budget: expected an amount of USD of 0 or more, got -1');
    expect(onlyProblem('litellm_settings', '  max_budget: lots')).toBe('litellm_settings.max_budget: expected an amount of USD of 0 or more, got "lots"');
  });

  it('keeps callbacks, cache and other keys as they are', () => {
    const settings = load('litellm_settings', '  success_callback: [langfuse]\n  cache: true\n  cache_params: {type: redis, ttl: 600}').load().litellm_settings;
    expect(settings).toEqual({ success_callback: ['langfuse'], cache: true, cache_params: { type: 'redis', ttl: 600 } });
  });
});

describe('router_settings', () => {
  it('reads the redis fields, coercing a port given as a string', () => {
    const { load: run } = load('router_settings', '  redis_host: os.environ/RH\n  redis_port: os.environ/RP\n  redis_password: os.environ/RPW', {
      RH: 'cache.internal',
      RP: '6380',
      RPW: 'pw',
    });
    expect(run().router_settings).toMatchObject({ redis_host: 'cache.internal', redis_port: 6380, redis_password: 'pw' });
  });

  it('rejects a redis_port outside 1..65535', () => {
    expect(onlyProblem('router_settings', '  redis_port: 70000')).toBe('router_settings.redis_port: expected a whole number from 1 to 65535, got 70000');
  });

  it('rejects a redis_url that is not redis:// or rediss:// without showing it', () => {
    expect(onlyProblem('router_settings', '  redis_url: "http://:pw-hidden@cache:6379"')).toBe(
      'router_settings.redis_url: expected a redis:// or rediss:// URL, got a string',
    );
  });

  it('rejects a non-string redis_password or an empty redis_host', () => {
    expect(onlyProblem('router_settings', '  redis_password: 4242')).toBe('router_settings.redis_password: expected a string, got a number');
    expect(onlyProblem('router_settings', '  redis_host: ""')).toBe('router_settings.redis_host: expected a host name like "redis.internal", got ""');
  });

  it('checks routing_strategy, num_retries and timeouts', () => {
    expect(load('router_settings', '  routing_strategy: simple-shuffle\n  num_retries: "2"\n  timeout: 30').load().router_settings).toMatchObject({
      routing_strategy: 'simple-shuffle',
      num_retries: 2,
      timeout: 30,
    });
    expect(onlyProblem('router_settings', '  stream_timeout: -3')).toBe('router_settings.stream_timeout: expected a positive number of seconds, got -3');
    expect(onlyProblem('router_settings', '  routing_strategy: [a]')).toBe(
      'router_settings.routing_strategy: expected one of: simple-shuffle, least-busy, usage-based-routing, usage-based-routing-v2, latency-based-routing, cost-based-routing; got a list',
    );
  });

  it('keeps fallbacks and other router keys as they are', () => {
    const settings = load('router_settings', '  fallbacks: [{gpt-4o: [gpt-4o-mini]}]\n  model_group_alias: {gpt-4: gpt-4o}').load().router_settings;
    expect(settings).toEqual({ fallbacks: [{ 'gpt-4o': ['gpt-4o-mini'] }], model_group_alias: { 'gpt-4': 'gpt-4o' } });
  });
});
