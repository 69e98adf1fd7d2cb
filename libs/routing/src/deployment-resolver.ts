import { createHash } from 'node:crypto';
import type { DeploymentConfig, TollgateConfig } from '@tollgate/config';
import { collectSecrets, findProvider, providerNames, type Deployment } from '@tollgate/providers';

const DEFAULT_TIMEOUT_SECONDS = 600;

export interface DeploymentProblem {
  /** Path inside the config file, e.g. `model_list[2].litellm_params.model`. */
  path: string;
  message: string;
}

/** `openai/gpt-4o` -> provider `openai`, model `gpt-4o`. A bare name is OpenAI's, as in LiteLLM. */
export function splitModelString(model: string): { provider: string; upstreamModel: string } {
  const slash = model.indexOf('/');
  if (slash === -1) return { provider: 'openai', upstreamModel: model };
  return { provider: model.slice(0, slash), upstreamModel: model.slice(slash + 1) };
}

/**
 * LiteLLM's rule: `model_info.id` when given, else a hash of the entry, stable across restarts and replicas.
 * Credentials are left out of the hash: the id is public (a response header) and must not change when a key
 * is rotated.
 */
export function deploymentId(entry: DeploymentConfig): string {
  if (typeof entry.model_info.id === 'string' && entry.model_info.id) return entry.model_info.id;
  const secrets = new Set(collectSecrets(entry.litellm_params, {}));
  const visible = Object.fromEntries(Object.entries(entry.litellm_params).filter(([, value]) => !(typeof value === 'string' && secrets.has(value))));
  return createHash('sha256').update(JSON.stringify([entry.model_name, visible])).digest('hex');
}

function seconds(...candidates: unknown[]): number | undefined {
  for (const value of candidates) if (typeof value === 'number' && value > 0) return value;
  return undefined;
}

/**
 * Turns `model_list` into callable deployments, checking each against its provider. Problems are returned
 * (not thrown) so startup can report all of them at once.
 */
export function resolveDeployments(config: TollgateConfig): { deployments: Deployment[]; problems: DeploymentProblem[] } {
  const deployments: Deployment[] = [];
  const problems: DeploymentProblem[] = [];
  config.model_list.forEach((entry, index) => {
    const at = `model_list[${index}].litellm_params`;
    const { provider: providerName, upstreamModel } = splitModelString(entry.litellm_params.model);
    const provider = findProvider(providerName);
    if (!provider) {
      problems.push({
        path: `${at}.model`,
        message: `unknown provider "${providerName}" in "${entry.litellm_params.model}"; expected one of: ${providerNames().join(', ')}`,
      });
      return;
    }
    if (!upstreamModel) {
      problems.push({ path: `${at}.model`, message: `expected "<provider>/<model>", got "${entry.litellm_params.model}"` });
      return;
    }
    for (const problem of provider.validate(entry.litellm_params)) {
      problems.push({ path: `${at}.${problem.path}`, message: problem.message });
    }
    const router = config.router_settings;
    const timeout = seconds(entry.litellm_params.timeout, router.timeout, config.litellm_settings.request_timeout) ?? DEFAULT_TIMEOUT_SECONDS;
    const streamTimeout = seconds(entry.litellm_params.stream_timeout, router.stream_timeout) ?? timeout;
    deployments.push({
      id: deploymentId(entry),
      modelName: entry.model_name,
      provider: provider.name,
      upstreamModel,
      displayApiBase: provider.displayApiBase(entry.litellm_params),
      timeoutMs: Math.round(timeout * 1000),
      streamTimeoutMs: Math.round(streamTimeout * 1000),
      params: entry.litellm_params,
      modelInfo: withEntryLimits(entry),
      secrets: collectSecrets(entry.litellm_params),
    });
  });
  return { deployments, problems };
}

/**
 * `model_info` with the `rpm` / `tpm` an entry sets beside `litellm_params` (LiteLLM reads them there too),
 * where the router looks for them; a value inside `model_info` itself wins.
 */
function withEntryLimits(entry: DeploymentConfig): DeploymentConfig['model_info'] {
  if (entry.rpm === undefined && entry.tpm === undefined) return entry.model_info;
  return {
    ...(entry.rpm !== undefined && { rpm: entry.rpm }),
    ...(entry.tpm !== undefined && { tpm: entry.tpm }),
    ...entry.model_info,
  };
}
