import type { ConformanceFake } from '../conformance-contract';
import { BEARER_TOKEN, BEDROCK_MODELS, startBedrockServer } from './bedrock.fake';

/**
 * Bedrock with a Bedrock API key (`Authorization: Bearer`) from `litellm_params`, which wins over the AWS
 * key pair the other Bedrock fake puts in the environment; the `bedrock/converse/` route prefix; Cohere
 * embeddings on Bedrock.
 */
export async function startFake(): Promise<ConformanceFake> {
  const server = await startBedrockServer('bearer');
  return {
    provider: 'bedrock',
    litellmParams: { model: `bedrock/converse/${BEDROCK_MODELS.BEARER_CHAT_MODEL}`, aws_bearer_token: BEARER_TOKEN, aws_bedrock_runtime_endpoint: server.url },
    embeddingParams: { model: `bedrock/${BEDROCK_MODELS.COHERE_MODEL}`, aws_bearer_token: BEARER_TOKEN, api_base: server.url },
    close: server.close,
  };
}
