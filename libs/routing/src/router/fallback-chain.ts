import type { GatewayError } from '@tollgate/common';
import { fallbackTargets, type RouterConfig } from '@tollgate/config';
import type { FailureClassifier, RouterPolicy } from './router.types';

/**
 * The model groups to fall back to after `group` failed with `error`, in order: a per-request list replaces
 * everything; a context-window overflow uses `context_window_fallbacks`, a content-policy refusal
 * `content_policy_fallbacks` (each falling back to the general lists when it has no entry for the group); then
 * the group's `fallbacks`, else `default_fallbacks`. A plain bad request (the caller's mistake) and a caller
 * that left fall back nowhere. The failed group itself is never in the chain.
 */
export function fallbackChain(policy: RouterPolicy, group: string, error: GatewayError, classify: FailureClassifier, requested?: readonly string[]): string[] {
  if (error.status === 499) return [];
  const code = error.options.code;
  const failure = classify(error);
  let chain: readonly string[] | undefined;
  const targets = (kind: Parameters<typeof fallbackTargets>[1]) => fallbackTargets(policy as RouterConfig, kind, group);
  const special = (kind: 'context_window_fallbacks' | 'content_policy_fallbacks') => {
    const own = targets(kind);
    return own.length > 0 ? own : targets('fallbacks');
  };
  if (requested) chain = requested;
  else if (code === 'context_length_exceeded') chain = special('context_window_fallbacks');
  else if (failure === 'ContentPolicyViolationError') chain = special('content_policy_fallbacks');
  else if (failure === 'BadRequestError') chain = [];
  else chain = targets('fallbacks');
  return [...new Set(chain)].filter((model) => model !== group);
}
