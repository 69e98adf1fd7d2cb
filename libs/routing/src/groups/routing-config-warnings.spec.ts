import { describe, expect, it } from 'vitest';
import { type DeploymentConfig, type RouterConfig, routerConfigOf, type TollgateConfig } from '@tollgate/config';
import { resolveDeployments } from '../deployment-resolver';
import { ModelGroups } from './model-groups';
import { routingConfigWarnings } from './routing-config-warnings';

function setup(router_settings: Record<string, unknown>, litellm_settings: Record<string, unknown> = {}): { groups: ModelGroups; router: RouterConfig } {
  const model_list: DeploymentConfig[] = [
    { model_name: 'gpt-4o', litellm_params: { model: 'fake/a' }, model_info: { id: 'a1' } },
    { model_name: 'claude', litellm_params: { model: 'fake/c' }, model_info: {} },
    { model_name: 'anthropic/*', litellm_params: { model: 'anthropic/*' }, model_info: { id: 'ant' } },
  ];
  const config = { model_list, general_settings: {}, litellm_settings, router_settings } as unknown as TollgateConfig;
  const router = routerConfigOf(config);
  return { groups: new ModelGroups(resolveDeployments(config).deployments, router), router };
}

describe('routingConfigWarnings', () => {
  it('is empty when every alias and fallback names something served', () => {
    const { groups, router } = setup({
      model_group_alias: { smart: 'gpt-4o', sonnet: 'anthropic/claude-sonnet-4-5' },
      fallbacks: [{ 'gpt-4o': ['claude', 'a1'] }, { '*': ['anthropic/claude-haiku-4-5'] }],
      context_window_fallbacks: [{ claude: ['smart'] }],
      default_fallbacks: ['claude'],
    });
    expect(routingConfigWarnings(groups, router)).toEqual([]);
  });

  it('warns about each optional pre-call check Tollgate does not implement, and only those', () => {
    const { groups, router } = setup({ optional_pre_call_checks: ['enforce_model_rate_limits', 'prompt_caching'] });
    expect(routingConfigWarnings(groups, router)).toEqual([
      { path: 'optional_pre_call_checks', message: '"prompt_caching" is not supported by Tollgate and is ignored (supported: enforce_model_rate_limits)' },
    ]);
  });

  it('warns about aliases to nothing and aliases hiding a model_name', () => {
    const { groups, router } = setup({ model_group_alias: { ghost: 'nowhere', claude: 'gpt-4o' } });
    expect(routingConfigWarnings(groups, router)).toEqual([
      { path: 'model_group_alias.ghost', message: '"nowhere" is not served by any model_name or wildcard; requests for "ghost" will fail' },
      { path: 'model_group_alias.claude', message: 'the alias hides the model_name "claude": its requests go to "gpt-4o", as in LiteLLM' },
    ]);
  });

  it('warns about fallbacks from or to names nothing serves, wherever they were set', () => {
    const { groups, router } = setup(
      { content_policy_fallbacks: [{ 'gpt-4o': ['missing-target'] }] },
      { fallbacks: [{ 'no-such-group': ['claude'] }], default_fallbacks: ['gone'] },
    );
    expect(routingConfigWarnings(groups, router)).toEqual([
      { path: 'fallbacks.no-such-group', message: 'no model group "no-such-group" is served, so this entry never applies' },
      { path: 'content_policy_fallbacks.gpt-4o', message: 'fallback target "missing-target" is not served by any model_name, alias, deployment id or wildcard' },
      { path: 'default_fallbacks', message: 'fallback target "gone" is not served by any model_name, alias, deployment id or wildcard' },
    ]);
  });
});
