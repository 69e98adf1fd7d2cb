import { describe, expect, it } from 'vitest';
import { ConfigError, type DeploymentConfig, type TollgateConfig } from '@tollgate/config';
import { checkStartupConfig } from './startup-check';

function config(model_list: DeploymentConfig[], runtime: { host: string; masterKey?: string }): TollgateConfig {
  return {
    model_list,
    general_settings: {},
    litellm_settings: {},
    router_settings: {},
    environment_variables: {},
    runtime: { port: 4000, dataDir: '/tmp/tollgate-test', maxRequestBytes: 1_000_000, ...runtime },
    sourceFile: 'config.yaml',
    unusedKeys: [],
    otherSections: {},
    warnings: [],
  };
}

const fake: DeploymentConfig = { model_name: 'm', litellm_params: { model: 'fake/echo' }, model_info: {} };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe('checkStartupConfig', () => {
  it('returns the deployments of a config that can serve', () => {
    expect(checkStartupConfig(config([fake], { host: '127.0.0.1' })).map((d) => d.modelName)).toEqual(['m']);
  });

  it.each(['127.0.0.1', '127.1.2.3', '::1', 'localhost'])('lets a gateway without a master key listen on loopback %s', (host) => {
    expect(() => checkStartupConfig(config([fake], { host }))).not.toThrow();
  });

  it('refuses a gateway without a master key on a network address, and says how to fix it', () => {
    const problems = problemsOf(() => checkStartupConfig(config([fake], { host: '0.0.0.0' })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('general_settings.master_key');
    expect(problems[0]).toContain('would listen on 0.0.0.0');
    expect(problems[0]).toContain('LITELLM_MASTER_KEY');
  });

  it('accepts a network address once a master key is set', () => {
    expect(() => checkStartupConfig(config([fake], { host: '0.0.0.0', masterKey: 'sk-master' }))).not.toThrow();
  });

  it('reports every problem at once: a deployment that cannot resolve and the open gateway', () => {
    const broken: DeploymentConfig = { model_name: 'x', litellm_params: { model: 'no-such-provider/model' }, model_info: {} };
    const problems = problemsOf(() => checkStartupConfig(config([broken], { host: '0.0.0.0' })));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('model_list');
    expect(problems[1]).toContain('general_settings.master_key');
  });
});
