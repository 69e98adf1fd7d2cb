import { FAILURE_CLASSES, type FailureClass } from './cooldowns';

/** `router_settings` that govern cooldowns, as parsed by the config layer. */
export interface CooldownSettings {
  /** `allowed_fails`: failures per deployment per minute before it cools down (LiteLLM's default 3). */
  allowedFails: number;
  /** `allowed_fails_policy`: per failure class, replacing every other rule for failures of that class. */
  allowedFailsPolicy: Partial<Record<FailureClass, number>>;
  /** `cooldown_time` in ms (LiteLLM's default 5 s); a deployment's own `cooldown_time` (seconds) wins. */
  cooldownTimeMs: number;
  /** `disable_cooldowns`: nothing is ever cooled down. */
  disableCooldowns: boolean;
}

export const DEFAULT_COOLDOWN_SETTINGS: CooldownSettings = Object.freeze({
  allowedFails: 3,
  allowedFailsPolicy: Object.freeze({}),
  cooldownTimeMs: 5_000,
  disableCooldowns: false,
});

/** LiteLLM's `allowed_fails_policy` keys (`InternalServerErrorAllowedFails`, ...) to failure classes; other keys are ignored. */
export function allowedFailsPolicyFrom(policy: Readonly<Record<string, unknown>> | undefined): Partial<Record<FailureClass, number>> {
  const result: Partial<Record<FailureClass, number>> = {};
  for (const failure of FAILURE_CLASSES) {
    const value = policy?.[`${failure}AllowedFails`];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) result[failure] = value;
  }
  return result;
}
