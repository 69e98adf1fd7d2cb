/**
 * The URL of an Azure AI Foundry (Azure AI Model Inference) operation: `{api_base}/chat/completions` or
 * `{api_base}/embeddings`, with `?api-version=` when a version is set. A bare Foundry resource endpoint
 * (`https://<name>.services.ai.azure.com`) serves models under `/models`, which is added.
 */
export function azureAIUrl(apiBase: string, operation: 'chat' | 'embeddings', apiVersion: string | undefined): string {
  let base = apiBase.replace(/\/+$/, '');
  try {
    const url = new URL(base);
    if (url.hostname.endsWith('.services.ai.azure.com') && (url.pathname === '/' || url.pathname === '')) base = `${base}/models`;
  } catch {
    // validate() already reported an api_base that is not a URL.
  }
  const path = operation === 'chat' ? 'chat/completions' : 'embeddings';
  return `${base}/${path}${apiVersion ? `?api-version=${encodeURIComponent(apiVersion)}` : ''}`;
}
