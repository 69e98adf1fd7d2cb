import { badRequest } from '@tollgate/common';
import { findProvider, type Deployment, type ProviderAdapter } from '@tollgate/providers';
import type { GatewayRuntime } from '../gateway-runtime';

export interface CallTarget {
  deployment: Deployment;
  provider: ProviderAdapter;
}

/** The deployment (and its provider) that will serve a request for `model`, or a 400 listing the models. */
export function callTarget(runtime: GatewayRuntime, model: string): CallTarget {
  const deployment = runtime.registry.pick(model);
  if (!deployment) {
    const names = runtime.registry.modelNames();
    throw badRequest(
      `Invalid model name passed in model=${model}. Available models: ${names.length ? names.join(', ') : '(none configured)'}. ` +
        'GET /v1/models lists the models your key can use.',
      'model',
      'model_not_found',
    );
  }
  return { deployment, provider: findProvider(deployment.provider) as ProviderAdapter };
}

/** `drop_params` from the request, else the deployment, else `litellm_settings` (LiteLLM's precedence). */
export function dropParamsFor(runtime: GatewayRuntime, deployment: Deployment, requestValue: unknown): boolean {
  for (const value of [requestValue, deployment.params.drop_params, runtime.config.litellm_settings.drop_params]) {
    if (typeof value === 'boolean') return value;
  }
  return false;
}
