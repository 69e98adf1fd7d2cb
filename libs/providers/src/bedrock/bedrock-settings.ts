import type { LitellmParams } from '@tollgate/config';
import { setting } from '../shared/credentials';
import { underApiBase } from '../shared/api-base-url';

export const DEFAULT_REGION = 'us-east-1';

/** The region a deployment calls (and signs for): `aws_region_name`, else AWS_REGION_NAME / AWS_REGION. */
export function bedrockRegion(params: LitellmParams): string {
  return setting(params, 'aws_region_name', ['AWS_REGION_NAME', 'AWS_REGION']) ?? DEFAULT_REGION;
}

/** The Bedrock runtime base URL: an explicit endpoint (VPC endpoint, proxy, test fake) or the regional one. */
export function bedrockEndpoint(params: LitellmParams): string {
  const explicit = setting(params, 'api_base') ?? setting(params, 'aws_bedrock_runtime_endpoint', ['AWS_BEDROCK_RUNTIME_ENDPOINT']);
  return explicit ?? `https://bedrock-runtime.${bedrockRegion(params)}.amazonaws.com`;
}

/**
 * LiteLLM route prefixes that may precede the model id (`bedrock/converse/<id>`). Tollgate always calls
 * Converse for chat and InvokeModel for embeddings, so the route only needs removing.
 */
const ROUTE_PREFIXES = ['converse/', 'invoke/'];

/**
 * The model id to put in the URL: `model_id` when the deployment sets one (provisioned throughput or an
 * imported model ARN, as in LiteLLM), else the model string after `bedrock/` (a foundation model id, a
 * cross-region inference profile id such as `us.anthropic...`, or an ARN).
 */
export function bedrockModelId(params: LitellmParams, upstreamModel: string): string {
  return setting(params, 'model_id') ?? withoutRoute(upstreamModel);
}

/** The model string after `bedrock/` without a LiteLLM route prefix: the model name shown in responses. */
export function withoutRoute(upstreamModel: string): string {
  for (const prefix of ROUTE_PREFIXES) if (upstreamModel.startsWith(prefix)) return upstreamModel.slice(prefix.length);
  return upstreamModel;
}

/**
 * The model id as one URL path segment, encoded as the AWS SDKs do (`:` and `/` of ids and ARNs become
 * `%3A` and `%2F`; `!'()*` too). SigV4 then escapes the path once more when it builds the canonical request.
 */
export function encodeModelId(modelId: string): string {
  return encodeURIComponent(modelId).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type BedrockOperation = 'converse' | 'converse-stream' | 'invoke';

export function bedrockUrl(params: LitellmParams, modelId: string, operation: BedrockOperation): string {
  return underApiBase(bedrockEndpoint(params), (endpoint) => `${endpoint}/model/${encodeModelId(modelId)}/${operation}`);
}

/** Whether a model id names an Anthropic Claude model (directly, through an inference profile, or an ARN of one). */
export function isAnthropicModel(modelId: string): boolean {
  return /(^|[./])anthropic\.|claude/i.test(modelId);
}

/**
 * `litellm_params` keys that configure Bedrock access rather than the model: never sent in a request body.
 * Every `aws_*` key (credentials, region, endpoint, role and profile settings) plus `model_id`.
 */
export function isBedrockSetting(key: string): boolean {
  return key.startsWith('aws_') || key === 'model_id';
}
