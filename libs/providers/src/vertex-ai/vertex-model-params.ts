import { badRequest } from '@tollgate/common';
import type { ChatCompletionRequest, Deployment } from '../provider.types';
import { OPENAI_CHAT_PARAMS } from '../shared/openai-params';

const OPENAI = new Set(OPENAI_CHAT_PARAMS);

/**
 * Vertex AI serves two model families with different OpenAI parameter sets, while the gateway filters
 * requests against one set per provider (the union). A parameter only the other family honours is refused
 * here with the same 400 the gateway gives, or dropped when the deployment sets `drop_params: true`.
 * Returns nothing; mutates nothing: a dropped parameter is simply not translated by the family's translator.
 */
export function refuseUnsupportedParams(deployment: Deployment, request: ChatCompletionRequest, supported: ReadonlySet<string>, family: string): void {
  if (deployment.params.drop_params === true) return;
  for (const key of Object.keys(request)) {
    if (request[key] === undefined || !OPENAI.has(key) || supported.has(key)) continue;
    throw badRequest(
      `vertex_ai (${family}) does not support parameter "${key}". Remove it, or set drop_params: true in the deployment's litellm_params to drop it.`,
      key,
      'unsupported_parameter',
    );
  }
}
