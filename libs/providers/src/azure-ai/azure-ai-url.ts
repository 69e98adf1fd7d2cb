import { underApiBase } from '../shared/api-base-url';

/**
 * The URL of an Azure AI Foundry (Azure AI Model Inference) operation: `{api_base}/chat/completions` or
 * `{api_base}/embeddings`, with `?api-version=` when a version is set. A bare Foundry resource endpoint
 * (`https://<name>.services.ai.azure.com`) serves models under `/models`, which is added.
 */
export function azureAIUrl(apiBase: string, operation: 'chat' | 'embeddings', apiVersion: string | undefined): string {
  const path = operation === 'chat' ? 'chat/completions' : 'embeddings';
  return underApiBase(apiBase, (root) => {
    const base = isBareFoundryEndpoint(root) ? `${root}/models` : root;
    return `${base}/${path}${apiVersion ? `?api-version=${encodeURIComponent(apiVersion)}` : ''}`;
  });
}

function isBareFoundryEndpoint(root: string): boolean {
  try {
    const url = new URL(root);
    return url.hostname.endsWith('.services.ai.azure.com') && (url.pathname === '/' || url.pathname === '');
  } catch {
    // validate() already reported an api_base that is not a URL.
    return false;
  }
}
