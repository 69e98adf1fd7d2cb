import { childPath, indexPath } from './config-path';
import { isPlainMapping } from './env-references';
import { HEALTH_CHECK_KEYS, ROUTER_ONLY_ROUTING_KEYS, SHARED_ROUTING_KEYS } from './router-config/validate-routing-settings';

/**
 * The keys of a LiteLLM config.yaml that Tollgate acts on. Everything else is accepted (a LiteLLM file
 * loads as it is) and listed in `unusedKeys` so the operator gets one warning naming what is ignored.
 * When a feature starts reading a key, add it here.
 */
export const INTERPRETED_KEYS = {
  topLevel: ['model_list', 'general_settings', 'litellm_settings', 'router_settings', 'environment_variables'],
  deployment: ['model_name', 'litellm_params', 'model_info', 'rpm', 'tpm'],
  general_settings: ['master_key', 'database_url', 'max_request_size_mb', 'disable_reset_budget', 'proxy_budget_rescheduler_min_time', 'upstream_max_connections_per_host', 'upstream_keepalive_timeout', ...HEALTH_CHECK_KEYS],
  litellm_settings: ['drop_params', 'request_timeout', 'max_budget', 'max_end_user_budget', 'max_end_user_budget_id', ...SHARED_ROUTING_KEYS],
  router_settings: ['redis_url', 'redis_host', 'redis_port', 'redis_password', 'timeout', 'stream_timeout', ...SHARED_ROUTING_KEYS, ...ROUTER_ONLY_ROUTING_KEYS],
} as const satisfies Record<string, readonly string[]>;

const SETTINGS_SECTIONS = ['general_settings', 'litellm_settings', 'router_settings'] as const;

/**
 * Paths of keys present in the file that Tollgate does not interpret: unknown top-level sections, unknown
 * keys of the three settings sections, and deployment-level keys beside model_name/litellm_params/model_info.
 * Keys inside litellm_params and model_info are provider parameters and metadata, not listed.
 */
export function collectUnusedKeys(document: Record<string, unknown>): string[] {
  const unused: string[] = [];
  for (const key of Object.keys(document)) {
    if (!(INTERPRETED_KEYS.topLevel as readonly string[]).includes(key)) unused.push(childPath('', key));
  }
  for (const section of SETTINGS_SECTIONS) {
    const value = document[section];
    if (!isPlainMapping(value)) continue;
    const used: readonly string[] = INTERPRETED_KEYS[section];
    for (const key of Object.keys(value)) {
      if (!used.includes(key)) unused.push(childPath(section, key));
    }
  }
  const modelList = document.model_list;
  if (Array.isArray(modelList)) {
    modelList.forEach((entry, index) => {
      if (!isPlainMapping(entry)) return;
      const used: readonly string[] = INTERPRETED_KEYS.deployment;
      for (const key of Object.keys(entry)) {
        if (!used.includes(key)) unused.push(childPath(indexPath('model_list', index), key));
      }
    });
  }
  return unused;
}
