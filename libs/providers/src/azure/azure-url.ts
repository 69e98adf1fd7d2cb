import { underApiBase } from '../shared/api-base-url';

/** LiteLLM's model-string routes (`azure/o_series/<deployment>`); the Azure deployment name follows them. */
const ROUTE_PREFIXES = ['o_series/', 'gpt5_series/'];

/** The Azure deployment name of an `azure/<deployment>` model string. */
export function azureDeploymentName(upstreamModel: string): string {
  const route = ROUTE_PREFIXES.find((prefix) => upstreamModel.startsWith(prefix));
  return route ? upstreamModel.slice(route.length) : upstreamModel;
}

/**
 * `{api_base}/openai/deployments/{deployment}/{chat/completions|embeddings}?api-version={version}`, the Azure
 * OpenAI data-plane URL. `api_base` is the resource endpoint (`https://<resource>.openai.azure.com`), with or
 * without a trailing `/openai`.
 */
export function azureDeploymentUrl(apiBase: string, deployment: string, operation: 'chat' | 'embeddings', apiVersion: string): string {
  const path = operation === 'chat' ? 'chat/completions' : 'embeddings';
  return underApiBase(apiBase, (base) => {
    const root = base.replace(/\/openai$/, '');
    return `${root}/openai/deployments/${encodeURIComponent(deployment)}/${path}?api-version=${encodeURIComponent(apiVersion)}`;
  });
}
