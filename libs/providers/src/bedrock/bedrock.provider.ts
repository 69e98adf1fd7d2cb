import type { LitellmParams } from '@tollgate/config';
import type {
  CallContext,
  ChatCompletionRequest,
  ChatCompletionResult,
  ChatCompletionStream,
  Deployment,
  EmbeddingRequest,
  EmbeddingResult,
  ProviderAdapter,
} from '../provider.types';
import { Deadline } from '../shared/deadline';
import { providerDefaults } from '../shared/deployment-params';
import { displayUrl } from '../shared/safe-url';
import { readJsonBody } from '../shared/upstream-http';
import { BEDROCK_CAPABILITIES } from './bedrock-capabilities';
import { postToBedrock } from './bedrock-http';
import { bedrockEndpoint, bedrockModelId, isBedrockSetting, withoutRoute } from './bedrock-settings';
import { relayConverseStream } from './bedrock-stream-relay';
import { embedWithBedrock } from './bedrock-embeddings';
import { toConverseRequest } from './request-translator';
import { toChatCompletion } from './response-translator';
import { ConverseStreamTranslator } from './stream-translator';

/** The deployment's provider parameters minus Bedrock's own settings (credentials, region, endpoint, model_id). */
export function bedrockDefaults(params: LitellmParams): Record<string, unknown> | undefined {
  const defaults = providerDefaults(params);
  if (!defaults) return undefined;
  for (const key of Object.keys(defaults)) if (isBedrockSetting(key)) delete defaults[key];
  return Object.keys(defaults).length > 0 ? defaults : undefined;
}

/**
 * AWS Bedrock: chat through the Converse and ConverseStream APIs (any chat model, inference profile or
 * ARN), embeddings through InvokeModel (Amazon Titan and Cohere Embed). Requests are signed with SigV4
 * (service `bedrock`) or carry a Bedrock API key.
 */
export class BedrockProvider implements ProviderAdapter {
  readonly name = 'bedrock';
  readonly capabilities = BEDROCK_CAPABILITIES;

  validate(params: LitellmParams): Array<{ path: string; message: string }> {
    const problems: Array<{ path: string; message: string }> = [];
    for (const key of ['api_base', 'aws_bedrock_runtime_endpoint']) {
      const value = params[key];
      if (value !== undefined && !(typeof value === 'string' && displayUrl(value))) problems.push({ path: key, message: 'expected an http(s) URL' });
    }
    const region = params.aws_region_name;
    if (region !== undefined && !(typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))) {
      problems.push({ path: 'aws_region_name', message: 'expected an AWS region such as us-east-1' });
    }
    if (Boolean(params.aws_access_key_id) !== Boolean(params.aws_secret_access_key)) {
      problems.push({ path: params.aws_access_key_id ? 'aws_secret_access_key' : 'aws_access_key_id', message: 'expected both aws_access_key_id and aws_secret_access_key' });
    }
    return problems;
  }

  displayApiBase(params: LitellmParams): string | undefined {
    return displayUrl(bedrockEndpoint(params));
  }

  async chatCompletion(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    const modelId = bedrockModelId(deployment.params, deployment.upstreamModel);
    const { body, jsonMode } = toConverseRequest(req, bedrockDefaults(deployment.params), modelId);
    const deadline = new Deadline(context.signal);
    const what = { action: 'respond', ms: deployment.timeoutMs };
    deadline.arm(deployment.timeoutMs);
    try {
      const response = await postToBedrock(deployment, 'converse', modelId, JSON.stringify(body), deadline, what);
      const { json } = await readJsonBody<Record<string, unknown>>(deployment, response, deadline, what);
      const result = toChatCompletion(json, withoutRoute(deployment.upstreamModel), jsonMode);
      return { body: result.body, usage: result.usage, status: response.statusCode };
    } finally {
      deadline.dispose();
    }
  }

  async chatCompletionStream(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    const modelId = bedrockModelId(deployment.params, deployment.upstreamModel);
    const { body, jsonMode } = toConverseRequest(req, bedrockDefaults(deployment.params), modelId);
    const translator = new ConverseStreamTranslator(withoutRoute(deployment.upstreamModel), req.stream_options?.include_usage === true, jsonMode);
    const deadline = new Deadline(context.signal);
    deadline.arm(deployment.streamTimeoutMs);
    try {
      const what = { action: 'start streaming', ms: deployment.streamTimeoutMs };
      const response = await postToBedrock(deployment, 'converse-stream', modelId, JSON.stringify(body), deadline, what);
      return await relayConverseStream(response, deployment, deadline, translator);
    } catch (err) {
      deadline.dispose();
      throw err;
    }
  }

  async embeddings(deployment: Deployment, req: EmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const modelId = bedrockModelId(deployment.params, deployment.upstreamModel);
    const deadline = new Deadline(context.signal);
    deadline.arm(deployment.timeoutMs);
    try {
      return await embedWithBedrock(deployment, modelId, req, bedrockDefaults(deployment.params), deadline);
    } finally {
      deadline.dispose();
    }
  }
}

export const bedrockProvider = new BedrockProvider();
