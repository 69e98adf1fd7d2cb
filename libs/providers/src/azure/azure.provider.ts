import { GatewayError } from '@tollgate/common';
import type { LitellmParams } from '@tollgate/config';
import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import { setting } from '../shared/credentials';
import { ALL_OPENAI_CHAT_PARAMS, OPENAI_EMBEDDING_PARAMS } from '../shared/openai-params';
import type {
  CallContext,
  ChatCompletionRequest,
  ChatCompletionResult,
  ChatCompletionStream,
  Deployment,
  EmbeddingRequest,
  EmbeddingResult,
} from '../provider.types';
import { azureAuthHeaders, azureCredentialProblems, hideCredentialParams } from './azure-auth';
import { readAzureError } from './azure-errors';
import { azureDeploymentName, azureDeploymentUrl } from './azure-url';

const API_VERSION_ENV = ['AZURE_API_VERSION'];

/** Azure's chat completions take every OpenAI parameter except web search, which only OpenAI itself offers. */
const AZURE_CHAT_PARAMS: ReadonlySet<string> = new Set([...ALL_OPENAI_CHAT_PARAMS].filter((param) => param !== 'web_search_options'));

function apiVersion(params: LitellmParams): string | undefined {
  return setting(params, 'api_version', API_VERSION_ENV);
}

/**
 * Azure OpenAI: OpenAI's wire format on per-deployment URLs
 * (`{api_base}/openai/deployments/{deployment}/chat/completions?api-version=...`), authenticated by an
 * `api-key` header or a Microsoft Entra ID bearer token, with Azure's own error bodies (content filter).
 * `finish_reason: content_filter` and the `*_filter_results` fields of responses pass through unchanged.
 */
export class AzureProvider extends OpenAICompatibleProvider {
  private readonly prepared = new WeakMap<Deployment, Deployment>();

  constructor() {
    super({
      name: 'azure',
      apiKeyEnv: [],
      apiBaseEnv: ['AZURE_API_BASE', 'AZURE_OPENAI_ENDPOINT'],
      // The credential header is chosen by azureAuthHeaders (key or Entra ID token), not from one key.
      authHeaders: () => ({}),
      url: (apiBase, operation, deployment) => {
        const version = apiVersion(deployment.params);
        if (!version) {
          throw new GatewayError(500, 'api_error', `Deployment "${deployment.modelName}" (id ${deployment.id}) has no api_version; set it in litellm_params or AZURE_API_VERSION.`, {
            code: 'deployment_misconfigured',
          });
        }
        return azureDeploymentUrl(apiBase, azureDeploymentName(deployment.upstreamModel), operation, version);
      },
      readErrorBody: readAzureError,
      capabilities: {
        chatParams: AZURE_CHAT_PARAMS,
        embeddingParams: new Set(OPENAI_EMBEDDING_PARAMS),
        features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
        credentials:
          '`api_key` or `AZURE_API_KEY` (`api-key` header), or `azure_ad_token` / `AZURE_AD_TOKEN` (Entra ID bearer token); ' +
          '`api_base` or `AZURE_API_BASE`; `api_version` or `AZURE_API_VERSION` (required)',
        modelFormat: '`azure/<deployment name>`',
      },
    });
  }

  override validate(params: LitellmParams): Array<{ path: string; message: string }> {
    const problems = super.validate(params);
    if (!apiVersion(params)) {
      problems.push({ path: 'api_version', message: 'required for azure deployments, e.g. "2024-10-21" (or set AZURE_API_VERSION)' });
    }
    return [...problems, ...azureCredentialProblems(params)];
  }

  protected override headers(params: LitellmParams): Record<string, string> {
    return Object.assign(super.headers(params), azureAuthHeaders(params));
  }

  override chatCompletion(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    return super.chatCompletion(this.callable(deployment), request, context);
  }

  override chatCompletionStream(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    return super.chatCompletionStream(this.callable(deployment), request, context);
  }

  override embeddings(deployment: Deployment, request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    return super.embeddings(this.callable(deployment), request, context);
  }

  /** The deployment with its Azure credential settings hidden from the request body (computed once per deployment). */
  private callable(deployment: Deployment): Deployment {
    let callable = this.prepared.get(deployment);
    if (!callable) {
      const params = hideCredentialParams(deployment.params);
      callable = params === deployment.params ? deployment : Object.assign({}, deployment, { params });
      this.prepared.set(deployment, callable);
    }
    return callable;
  }
}

export const azureProvider = new AzureProvider();
