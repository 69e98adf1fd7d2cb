import type { DeploymentHealthResult, HealthCheckMode } from './deployment-health';

/** One deployment in `GET /health`: what identifies it, never its credentials or other settings. */
export interface HealthEndpoint {
  /** `litellm_params.model`, e.g. `openai/gpt-4o`. */
  model: string;
  /** The model group (`model_name`). */
  model_name: string;
  model_id: string;
  provider: string;
  /** Display form: no credentials, no query string. Absent for in-process providers. */
  api_base?: string;
  mode: HealthCheckMode;
  /** Unhealthy endpoints only: why, with credentials removed. */
  error?: string;
}

/** LiteLLM's `GET /health` answer. */
export interface HealthReport {
  healthy_endpoints: HealthEndpoint[];
  unhealthy_endpoints: HealthEndpoint[];
  healthy_count: number;
  unhealthy_count: number;
}

function endpointOf(result: DeploymentHealthResult): HealthEndpoint {
  const { deployment } = result;
  return {
    model: deployment.params.model,
    model_name: deployment.modelName,
    model_id: deployment.id,
    provider: deployment.provider,
    ...(deployment.displayApiBase !== undefined ? { api_base: deployment.displayApiBase } : {}),
    mode: result.mode,
    ...(result.healthy ? {} : { error: result.error ?? 'unhealthy' }),
  };
}

export function healthReport(results: readonly DeploymentHealthResult[]): HealthReport {
  const healthy = results.filter((r) => r.healthy).map(endpointOf);
  const unhealthy = results.filter((r) => !r.healthy).map(endpointOf);
  return { healthy_endpoints: healthy, unhealthy_endpoints: unhealthy, healthy_count: healthy.length, unhealthy_count: unhealthy.length };
}
