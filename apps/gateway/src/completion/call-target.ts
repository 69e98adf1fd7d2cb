import { badRequest } from '@tollgate/common';
import { findProvider, type Deployment, type ProviderAdapter } from '@tollgate/providers';
import type { CallerIdentity } from '@tollgate/auth';
import { authorizeModel, checkEndUser } from '@tollgate/tenancy';
import type { GatewayRuntime } from '../gateway-runtime';

export interface CallTarget {
  deployment: Deployment;
  provider: ProviderAdapter;
}

/**
 * The deployment (and its provider) that will serve `requested` for this caller: aliases applied and model
 * access checked (401), then a deployment of the group picked (400 listing the models when there is none).
 */
export function callTarget(runtime: GatewayRuntime, identity: CallerIdentity, requested: string, endUserId?: string): CallTarget {
  checkEndUser(runtime.endUsers, endUserId);
  const model = authorizeModel(identity, requested, runtime.accessGroups);
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
