import type { RouterConfig } from '@tollgate/config';
import { DEFAULT_HEALTH_CHECK_TIMEOUT_MS } from './deployment-health';

/** How deployments are health-checked (LiteLLM's `general_settings.background_health_checks` and friends). */
export interface HealthCheckSettings {
  /** `background_health_checks`: check on a timer, serve `GET /health` from the last run, cool failing deployments down. */
  backgroundHealthChecks: boolean;
  /** `health_check_interval` (seconds in the config) in ms, between the end of one run and the start of the next. */
  intervalMs: number;
  /** Per check; a deployment's `model_info.health_check_timeout` (seconds) wins. */
  timeoutMs: number;
  /** Deployments checked at the same time. */
  concurrency: number;
}

export const DEFAULT_HEALTH_CHECK_SETTINGS: HealthCheckSettings = Object.freeze({
  backgroundHealthChecks: false,
  intervalMs: 300_000,
  timeoutMs: DEFAULT_HEALTH_CHECK_TIMEOUT_MS,
  concurrency: 10,
});

/** The health-check part of the validated router config (`general_settings.background_health_checks`, `health_check_interval`). */
export function healthCheckSettingsOf(rc: Pick<RouterConfig, 'backgroundHealthChecks' | 'healthCheckIntervalSeconds'>): HealthCheckSettings {
  return { ...DEFAULT_HEALTH_CHECK_SETTINGS, backgroundHealthChecks: rc.backgroundHealthChecks, intervalMs: rc.healthCheckIntervalSeconds * 1000 };
}
