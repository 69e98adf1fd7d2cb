import { describe, expect, it } from 'vitest';
import type { DeploymentConfig, LitellmSettings, RouterSettings, TollgateConfig } from '@tollgate/config';
import { providerNames } from '@tollgate/providers';
import { deploymentId, resolveDeployments, splitModelString } from './deployment-resolver';

function entry(model_name: string, litellm_params: DeploymentConfig['litellm_params'], model_info: DeploymentConfig['model_info'] = {}): DeploymentConfig {
  return { model_name, litellm_params, model_info };
}

function config(model_list: DeploymentConfig[], settings: { router?: RouterSettings; litellm?: LitellmSettings } = {}): TollgateConfig {
  return {
    model_list,
    general_settings: {},
    litellm_settings: settings.litellm ?? {},
    router_settings: settings.router ?? {},
    environment_variables: {},
    runtime: { port: 4000, host: '127.0.0.1', dataDir: '/tmp/tollgate-test', maxRequestBytes: 1_000_000 },
    unusedKeys: [],
    otherSections: {},
    warnings: [],
  };
}

describe('splitModelString', () => {
  it.each([
    ['openai/gpt-4o', 'openai', 'gpt-4o'],
    ['fake/echo', 'fake', 'echo'],
    ['openai/meta-llama/Llama-3-8B', 'openai', 'meta-llama/Llama-3-8B'],
    ['gpt-4o', 'openai', 'gpt-4o'],
    ['openai/', 'openai', ''],
  ])('%s -> provider %s, model %s', (model, provider, upstreamModel) => {
    expect(splitModelString(model)).toEqual({ provider, upstreamModel });
  });
});

describe('deploymentId', () => {
  it('uses model_info.id when given', () => {
    expect(deploymentId(entry('a', { model: 'fake/x' }, { id: 'my-id' }))).toBe('my-id');
  });

  it('hashes the entry otherwise, the same way every time', () => {
    const id = deploymentId(entry('a', { model: 'fake/x', rpm: 5 }));
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(deploymentId(entry('a', { model: 'fake/x', rpm: 5 }))).toBe(id);
    expect(deploymentId(entry('a', { model: 'fake/x', rpm: 5 }, { id: '' }))).toBe(id);
  });

  it('gives different entries different ids', () => {
    const base = deploymentId(entry('a', { model: 'openai/x', api_base: 'http://one' }));
    expect(deploymentId(entry('a', { model: 'openai/x', api_base: 'http://two' }))).not.toBe(base);
    expect(deploymentId(entry('b', { model: 'openai/x', api_base: 'http://one' }))).not.toBe(base);
    expect(deploymentId(entry('a', { model: 'openai/y', api_base: 'http://one' }))).not.toBe(base);
  });

  it('does not reveal the api key', () => {
    expect(deploymentId(entry('a', { model: 'openai/x', api_key: 'sk-secret' }))).not.toContain('sk-secret');
  });
});

describe('resolveDeployments', () => {
  it('resolves each entry with its provider, upstream model, display base and params', () => {
    const params = { model: 'openai/gpt-4o', api_base: 'https://u:p@api.example.com/v1?k=1', api_key: 'sk-x' };
    const { deployments, problems } = resolveDeployments(config([entry('gpt', params, { id: 'd1' }), entry('demo', { model: 'fake/echo' })]));
    expect(problems).toEqual([]);
    expect(deployments).toHaveLength(2);
    expect(deployments[0]).toMatchObject({ id: 'd1', modelName: 'gpt', provider: 'openai', upstreamModel: 'gpt-4o', displayApiBase: 'https://api.example.com/v1' });
    expect(deployments[0].params).toBe(params);
    expect(deployments[1]).toMatchObject({ modelName: 'demo', provider: 'fake', upstreamModel: 'echo', displayApiBase: undefined });
  });

  it('reports an unknown provider with the providers it knows, and leaves the entry out', () => {
    const { deployments, problems } = resolveDeployments(config([entry('ok', { model: 'fake/a' }), entry('bad', { model: 'nosuch/model-x' })]));
    expect(deployments.map((d) => d.modelName)).toEqual(['ok']);
    expect(problems).toEqual([
      { path: 'model_list[1].litellm_params.model', message: `unknown provider "nosuch" in "nosuch/model-x"; expected one of: ${providerNames().join(', ')}` },
    ]);
    expect(problems[0].message).toMatch(/expected one of: .*\bfake\b/);
    expect(problems[0].message).toMatch(/expected one of: .*\bopenai\b/);
  });

  it('reports a provider prefix without a model', () => {
    const { deployments, problems } = resolveDeployments(config([entry('x', { model: 'fake/' })]));
    expect(deployments).toEqual([]);
    expect(problems).toEqual([{ path: 'model_list[0].litellm_params.model', message: 'expected "<provider>/<model>", got "fake/"' }]);
  });

  it('reports the provider\'s own validation problems with full paths', () => {
    const { problems } = resolveDeployments(config([entry('a', { model: 'fake/a' }), entry('b', { model: 'fake/b', latency_ms: -5 })]));
    expect(problems).toEqual([{ path: 'model_list[1].litellm_params.latency_ms', message: 'expected a number of milliseconds >= 0' }]);
  });

  it('reports every problem at once', () => {
    const { problems } = resolveDeployments(config([entry('a', { model: 'bad/a' }), entry('b', { model: 'fake/b', mock_response: 1 }), entry('c', { model: 'worse/c' })]));
    expect(problems.map((p) => p.path)).toEqual([
      'model_list[0].litellm_params.model',
      'model_list[1].litellm_params.mock_response',
      'model_list[2].litellm_params.model',
    ]);
  });

  describe('timeouts', () => {
    const timeouts = (params: Record<string, unknown>, settings: { router?: RouterSettings; litellm?: LitellmSettings } = {}) => {
      const [deployment] = resolveDeployments(config([entry('m', { model: 'fake/m', ...params })], settings)).deployments;
      return { timeoutMs: deployment.timeoutMs, streamTimeoutMs: deployment.streamTimeoutMs };
    };

    it('defaults to 600 seconds for both', () => {
      expect(timeouts({})).toEqual({ timeoutMs: 600_000, streamTimeoutMs: 600_000 });
    });

    it('litellm_params.timeout wins over router_settings.timeout and litellm_settings.request_timeout', () => {
      expect(timeouts({ timeout: 5 }, { router: { timeout: 10 }, litellm: { request_timeout: 20 } }).timeoutMs).toBe(5000);
    });

    it('router_settings.timeout wins over litellm_settings.request_timeout', () => {
      expect(timeouts({}, { router: { timeout: 10 }, litellm: { request_timeout: 20 } }).timeoutMs).toBe(10_000);
    });

    it('litellm_settings.request_timeout applies when nothing closer is set', () => {
      expect(timeouts({}, { litellm: { request_timeout: 20 } }).timeoutMs).toBe(20_000);
    });

    it('skips zero and negative values', () => {
      expect(timeouts({ timeout: 0 }, { router: { timeout: -1 }, litellm: { request_timeout: 20 } }).timeoutMs).toBe(20_000);
    });

    it('converts fractional seconds to whole milliseconds', () => {
      expect(timeouts({ timeout: 1.2345 }).timeoutMs).toBe(1235);
    });

    it('stream_timeout: litellm_params first, then router_settings, then the request timeout', () => {
      expect(timeouts({ timeout: 30, stream_timeout: 2 }, { router: { stream_timeout: 4 } })).toEqual({ timeoutMs: 30_000, streamTimeoutMs: 2000 });
      expect(timeouts({ timeout: 30 }, { router: { stream_timeout: 4 } })).toEqual({ timeoutMs: 30_000, streamTimeoutMs: 4000 });
      expect(timeouts({ timeout: 30 })).toEqual({ timeoutMs: 30_000, streamTimeoutMs: 30_000 });
      expect(timeouts({}, { litellm: { request_timeout: 7 } })).toEqual({ timeoutMs: 7000, streamTimeoutMs: 7000 });
    });
  });
});
