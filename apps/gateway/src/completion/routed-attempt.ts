import { badRequest } from '@tollgate/common';
import { filterParams, findProvider, type Deployment, type ProviderAdapter } from '@tollgate/providers';
import type { Routed } from '@tollgate/routing';
import { formatUsd } from '@tollgate/spend';
import type { FastifyReply } from 'fastify';
import type { GatewayRuntime } from '../gateway-runtime';
import { dropParamsFor } from './call-target';
import type { RequestLogRecorder } from './request-log-recorder';
import { setDeploymentHeaders } from './response-headers';

/** One attempt's provider and the body it will receive (parameters the provider lacks refused or dropped). */
export interface PreparedAttempt<B> {
  provider: ProviderAdapter;
  body: B;
  dropped: string[];
}

/**
 * Gets an attempt on `deployment` ready: its provider, its price for the log (the last attempt's wins), and the
 * request body filtered for what that provider accepts (`drop_params`).
 */
export function prepareAttempt<B extends Record<string, unknown>>(
  runtime: GatewayRuntime,
  deployment: Deployment,
  body: B,
  mode: 'chat' | 'embedding',
  recorder: RequestLogRecorder,
): PreparedAttempt<B> {
  const provider = findProvider(deployment.provider) as ProviderAdapter;
  recorder.useDeployment(deployment, (usage) => formatUsd(runtime.pricing.costFor(deployment, usage)));
  const params = mode === 'chat' ? provider.capabilities.chatParams : provider.capabilities.embeddingParams;
  if (!params) {
    throw badRequest(`Model "${deployment.modelName}" is served by ${provider.name}, which has no embeddings API in Tollgate.`, 'model', 'unsupported_operation');
  }
  const filtered = filterParams(body, mode, params, provider.name, dropParamsFor(runtime, deployment, body.drop_params));
  return { provider, body: filtered.request as B, dropped: filtered.dropped };
}

/** LiteLLM's headers about who answered and what it took: deployment, dropped parameters, retries and fallbacks. */
export function setRoutedHeaders(reply: FastifyReply, routed: Routed<{ prepared: PreparedAttempt<unknown> }>): void {
  setDeploymentHeaders(reply, routed.deployment);
  const { dropped } = routed.value.prepared;
  if (dropped.length > 0) reply.header('x-litellm-dropped-params', dropped.join(','));
  reply.header('x-litellm-attempted-retries', String(routed.attemptedRetries));
  reply.header('x-litellm-attempted-fallbacks', String(routed.attemptedFallbacks));
}
