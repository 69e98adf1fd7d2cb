import { underApiBase } from '../shared/api-base-url';

/**
 * The chat-completions URL of a Hugging Face endpoint: the Inference Providers router
 * (`https://router.huggingface.co/v1`) or a TGI / Inference Endpoint whose `api_base` is the server root
 * (`https://<endpoint>.endpoints.huggingface.cloud`), where the Messages API lives under `/v1`.
 */
export function huggingFaceChatUrl(apiBase: string): string {
  return underApiBase(apiBase, (base) => {
    if (base.endsWith('/chat/completions')) return base;
    if (base.endsWith('/v1')) return `${base}/chat/completions`;
    return `${base}/v1/chat/completions`;
  });
}
