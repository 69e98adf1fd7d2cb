import { childPath, type RouterConfig } from '@tollgate/config';
import { SUPPORTED_PRE_CALL_CHECKS } from '../strategies';
import type { ModelGroups } from './model-groups';

export interface RoutingConfigWarning {
  /** Where in the settings, without the section (the value may come from router_settings or litellm_settings). */
  path: string;
  message: string;
}

/**
 * Settings that load but cannot work as written, worth one warning each at startup: aliases whose target
 * nothing serves, aliases hiding a `model_name` of the same name (the alias wins, as in LiteLLM), and
 * fallbacks from or to names nothing serves, and `optional_pre_call_checks` Tollgate does not implement.
 */
export function routingConfigWarnings(groups: ModelGroups, config: RouterConfig): RoutingConfigWarning[] {
  const warnings: RoutingConfigWarning[] = [];
  const served = (name: string) => groups.resolve(name).ok;
  for (const [alias, { model }] of Object.entries(config.modelGroupAlias)) {
    const path = childPath('model_group_alias', alias);
    if (!served(alias)) warnings.push({ path, message: `"${model}" is not served by any model_name or wildcard; requests for "${alias}" will fail` });
    if (groups.deployments(alias).length > 0) {
      warnings.push({ path, message: `the alias hides the model_name "${alias}": its requests go to "${model}", as in LiteLLM` });
    }
  }
  const fallbackSettings = [
    ['fallbacks', config.fallbacks],
    ['context_window_fallbacks', config.contextWindowFallbacks],
    ['content_policy_fallbacks', config.contentPolicyFallbacks],
  ] as const;
  for (const [setting, map] of fallbackSettings) {
    for (const [group, targets] of Object.entries(map)) {
      const path = childPath(setting, group);
      if (group !== '*' && !served(group)) warnings.push({ path, message: `no model group "${group}" is served, so this entry never applies` });
      for (const target of targets) {
        if (!served(target)) warnings.push({ path, message: `fallback target "${target}" is not served by any model_name, alias, deployment id or wildcard` });
      }
    }
  }
  for (const target of config.defaultFallbacks) {
    if (!served(target)) warnings.push({ path: 'default_fallbacks', message: `fallback target "${target}" is not served by any model_name, alias, deployment id or wildcard` });
  }
  for (const check of config.optionalPreCallChecks) {
    if (SUPPORTED_PRE_CALL_CHECKS.includes(check)) continue;
    warnings.push({ path: 'optional_pre_call_checks', message: `"${check}" is not supported by Tollgate and is ignored (supported: ${SUPPORTED_PRE_CALL_CHECKS.join(', ')})` });
  }
  return warnings;
}
