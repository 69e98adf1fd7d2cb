import { GatewayError } from '@tollgate/common';
import type { Deployment } from '@tollgate/providers';

/** How a requested model name was recognised. */
export type GroupMatch = 'deployment_id' | 'alias' | 'model_name' | 'wildcard' | 'litellm_model';

/** The deployments that may serve a request, before cooldowns and the routing strategy. */
export interface GroupHit {
  ok: true;
  /** The `model` the client sent. */
  requested: string;
  /**
   * The model group: the `model_name` of the deployments (the alias target for an alias, the deployment's
   * own group for a deployment id), or the requested name for a wildcard match. Retries, fallbacks,
   * per-group retry policies and the `x-litellm-model-group` header use it.
   */
  group: string;
  match: GroupMatch;
  /** The alias the client used, when `match` is `alias`. */
  alias?: string;
  /** The wildcard `model_name` that matched, when the group came from one. */
  pattern?: string;
  /** Never empty. Wildcard groups hold derived deployments whose upstream model is the requested one. */
  candidates: Deployment[];
  /**
   * True when the client named one deployment by id: LiteLLM sends such a request to that deployment
   * without tag filtering, pre-call checks or cooldown checks.
   */
  pinned: boolean;
}

export type GroupMiss =
  /** Nothing serves the name (or a wildcard maps it to a model no provider serves). */
  | { ok: false; kind: 'unknown_model'; requested: string; message: string }
  /** Tag filtering left no deployment of the group. */
  | { ok: false; kind: 'no_tag_match'; requested: string; group: string; tags: string[]; message: string }
  /** Pre-call checks: the prompt is larger than every deployment's context window (use `context_window_fallbacks`). */
  | {
      ok: false;
      kind: 'context_window_exceeded';
      requested: string;
      group: string;
      inputTokens: number;
      largestContextWindow: number;
      message: string;
    };

export type GroupResolution = GroupHit | GroupMiss;

/**
 * The error a caller gets for a miss when nothing (no fallback) rescues the request, in OpenAI's shape:
 * an unknown model is a 400 `model_not_found` (as the gateway answers today); a tag miss is LiteLLM's 401
 * (`no_deployments_with_tag_routing`); a prompt too long for every deployment is OpenAI's 400
 * `context_length_exceeded`.
 */
export function groupMissError(miss: GroupMiss): GatewayError {
  switch (miss.kind) {
    case 'unknown_model':
      return new GatewayError(400, 'invalid_request_error', miss.message, { param: 'model', code: 'model_not_found' });
    case 'no_tag_match':
      return new GatewayError(401, 'authentication_error', miss.message, { code: 'no_deployments_with_tag_routing' });
    case 'context_window_exceeded':
      return new GatewayError(400, 'invalid_request_error', miss.message, { param: 'messages', code: 'context_length_exceeded' });
  }
}
