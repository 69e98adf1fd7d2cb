import type { Deployment } from '@tollgate/providers';
import type { PricingCatalog } from '@tollgate/spend';

/** Where context windows come from when a deployment's `model_info` does not state one. */
export interface ContextWindowLookup {
  /** The deployment's context window in tokens, undefined when unknown. */
  maxInputTokens(deployment: Deployment): number | undefined;
}

/** The pricing catalog's context windows (it resolves `base_model` and provider aliases the same way as prices). */
export function catalogContextWindows(catalog: Pick<PricingCatalog, 'priceFor'>): ContextWindowLookup {
  return { maxInputTokens: (deployment) => catalog.priceFor(deployment)?.maxInputTokens };
}

/** `model_info.max_input_tokens` when set, else the lookup's figure. */
export function contextWindowOf(deployment: Deployment, lookup: ContextWindowLookup | undefined): number | undefined {
  const configured = deployment.modelInfo?.max_input_tokens;
  if (typeof configured === 'number' && configured > 0) return configured;
  return lookup?.maxInputTokens(deployment);
}

export type ContextWindowResult =
  | { ok: true; candidates: Deployment[] }
  | { ok: false; largestContextWindow: number };

/**
 * Pre-call check (`enable_pre_call_checks`): drops the deployments whose known context window is smaller
 * than the prompt. A deployment whose window is unknown stays (LiteLLM skips the check for it too). When
 * every deployment is dropped the result says how large the largest window was.
 */
export function filterByContextWindow(deployments: readonly Deployment[], inputTokens: number, lookup: ContextWindowLookup | undefined): ContextWindowResult {
  const windows = deployments.map((deployment) => contextWindowOf(deployment, lookup));
  const candidates = deployments.filter((_, index) => {
    const window = windows[index];
    return window === undefined || inputTokens <= window;
  });
  if (candidates.length > 0) return { ok: true, candidates };
  return { ok: false, largestContextWindow: Math.max(...windows.map((window) => window ?? 0)) };
}
