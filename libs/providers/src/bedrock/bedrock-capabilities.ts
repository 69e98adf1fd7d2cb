import type { ProviderCapabilities } from '../provider.types';

/**
 * What Bedrock's Converse API honours in OpenAI's terms. Not listed, so refused (or dropped with
 * `drop_params`): n, seed, logprobs/top_logprobs, logit_bias, frequency/presence penalties, user,
 * metadata, parallel_tool_calls (Converse has no switch for it), audio/modalities, prediction, store,
 * service_tier, web_search_options, functions/function_call (legacy).
 */
export const BEDROCK_CAPABILITIES: ProviderCapabilities = {
  chatParams: new Set([
    'max_tokens',
    'max_completion_tokens',
    'temperature',
    'top_p',
    'stop',
    'tools',
    'tool_choice',
    'response_format',
    'reasoning_effort',
    'stream_options',
  ]),
  embeddingParams: new Set(['dimensions', 'encoding_format']),
  features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
  credentials:
    'SigV4: `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token` or `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / ' +
    '`AWS_SESSION_TOKEN`; or a Bedrock API key: `aws_bearer_token` or `AWS_BEARER_TOKEN_BEDROCK`. Region `aws_region_name` or ' +
    '`AWS_REGION_NAME` / `AWS_REGION` (default us-east-1); endpoint `api_base`, `aws_bedrock_runtime_endpoint` or `AWS_BEDROCK_RUNTIME_ENDPOINT`',
  modelFormat:
    '`bedrock/<model-id>`: a foundation model (`bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0`), a cross-region inference ' +
    'profile (`bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0`) or an ARN; `bedrock/converse/<model-id>` is accepted too. ' +
    'Embeddings: `bedrock/amazon.titan-embed-text-v2:0`, `bedrock/cohere.embed-english-v3`',
};
