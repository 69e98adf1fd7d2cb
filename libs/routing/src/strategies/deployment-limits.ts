import type { Deployment } from '@tollgate/providers';

/** A deployment's per-minute limits; absent when not configured. */
export interface DeploymentLimits {
  rpm?: number;
  tpm?: number;
}

/** A positive number, or undefined: a zero, negative or non-numeric limit means "no limit", as in LiteLLM. */
function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** `rpm` / `tpm` from `litellm_params`, else from `model_info` (LiteLLM reads both places). */
export function deploymentLimits(deployment: Deployment): DeploymentLimits {
  const rpm = positive(deployment.params.rpm) ?? positive(deployment.modelInfo?.rpm);
  const tpm = positive(deployment.params.tpm) ?? positive(deployment.modelInfo?.tpm);
  const limits: DeploymentLimits = {};
  if (rpm !== undefined) limits.rpm = rpm;
  if (tpm !== undefined) limits.tpm = tpm;
  return limits;
}

/** The configured `weight`, if it is a positive number. */
export function deploymentWeight(deployment: Deployment): number | undefined {
  return positive(deployment.params.weight);
}

/** Tokens as a whole non-negative count (estimates may be fractional or missing). */
export function wholeTokens(tokens: number): number {
  return Number.isFinite(tokens) && tokens > 0 ? Math.ceil(tokens) : 0;
}
