import { badRequest } from '@tollgate/common';
import type { Deployment } from '@tollgate/providers';
import type { CallerIdentity } from '@tollgate/auth';
import { authorizeModel, checkEndUser } from '@tollgate/tenancy';
import type { GatewayRuntime } from '../gateway-runtime';

export interface CallTarget {
  /** The model name after the key's and team's aliases, checked against model access. */
  model: string;
  /** The model group it resolves to: the name per-model limits and budgets are keyed by. */
  group: string;
}

/**
 * What a caller may ask for: end-user blocks checked, aliases applied and model access checked (401), and the
 * model known to the router (400 listing the models when it is not). The deployment is chosen per attempt by
 * the router.
 */
export function callTarget(runtime: GatewayRuntime, identity: CallerIdentity, requested: string, endUserId?: string): CallTarget {
  checkEndUser(runtime.endUsers, endUserId);
  const model = authorizeModel(identity, requested, runtime.accessGroups);
  const group = runtime.router.groupOf(model);
  if (group === undefined) {
    const names = runtime.groups.visibleModelNames();
    throw badRequest(
      `Invalid model name passed in model=${model}. Available models: ${names.length ? names.join(', ') : '(none configured)'}. ` +
        'GET /v1/models lists the models your key can use.',
      'model',
      'model_not_found',
    );
  }
  return { model, group };
}

/** `drop_params` from the request, else the deployment, else `litellm_settings` (LiteLLM's precedence). */
export function dropParamsFor(runtime: GatewayRuntime, deployment: Deployment, requestValue: unknown): boolean {
  for (const value of [requestValue, deployment.params.drop_params, runtime.config.litellm_settings.drop_params]) {
    if (typeof value === 'boolean') return value;
  }
  return false;
}
