import { describe, expect, it } from 'vitest';
import { allowedFailsPolicyFrom, DEFAULT_COOLDOWN_SETTINGS } from './cooldown-settings';
import { cooldownDurationMs, countsTowardsCooldown, MAX_RETRY_AFTER_COOLDOWN_MS } from './cooldown-rules';
import { testDeployment } from './cooldowns.contract';

describe('cooldown rules', () => {
  it("counts 5xx, timeouts, 429 and non-retryable 401/404/408, never other 4xx unless allowed_fails_policy lists the class", () => {
    const settings = DEFAULT_COOLDOWN_SETTINGS;
    expect(countsTowardsCooldown('InternalServerError', 500, settings)).toBe(true);
    expect(countsTowardsCooldown('TimeoutError', 504, settings)).toBe(true);
    expect(countsTowardsCooldown('RateLimitError', 429, settings)).toBe(true);
    for (const status of [401, 404, 408]) expect(countsTowardsCooldown('BadRequestError', status, settings)).toBe(true);
    for (const status of [400, 403, 409, 413, 422]) expect(countsTowardsCooldown('BadRequestError', status, settings)).toBe(false);
    const listed = { ...settings, allowedFailsPolicy: { BadRequestError: 5 } };
    expect(countsTowardsCooldown('BadRequestError', 400, listed)).toBe(true);
    expect(countsTowardsCooldown('InternalServerError', 500, { ...settings, disableCooldowns: true })).toBe(false);
  });

  it('lasts cooldown_time, or as long as retry-after asks up to a cap', () => {
    const d = testDeployment();
    expect(cooldownDurationMs(d, DEFAULT_COOLDOWN_SETTINGS)).toBe(5_000);
    expect(cooldownDurationMs(d, DEFAULT_COOLDOWN_SETTINGS, 1_000)).toBe(5_000);
    expect(cooldownDurationMs(d, DEFAULT_COOLDOWN_SETTINGS, 42_000)).toBe(42_000);
    expect(cooldownDurationMs(d, DEFAULT_COOLDOWN_SETTINGS, 86_400_000)).toBe(MAX_RETRY_AFTER_COOLDOWN_MS);
    expect(cooldownDurationMs(testDeployment({ params: { model: 'openai/x', cooldown_time: 0.5 } }), DEFAULT_COOLDOWN_SETTINGS)).toBe(500);
  });

  it("reads LiteLLM's allowed_fails_policy keys, ignoring unknown ones and bad values", () => {
    expect(
      allowedFailsPolicyFrom({
        BadRequestErrorAllowedFails: 1000,
        AuthenticationErrorAllowedFails: 10,
        TimeoutErrorAllowedFails: 12,
        RateLimitErrorAllowedFails: 10000,
        ContentPolicyViolationErrorAllowedFails: 15,
        InternalServerErrorAllowedFails: 20,
        NotARealErrorAllowedFails: 3,
        InternalServerError: 4,
      }),
    ).toEqual({
      BadRequestError: 1000,
      AuthenticationError: 10,
      TimeoutError: 12,
      RateLimitError: 10000,
      ContentPolicyViolationError: 15,
      InternalServerError: 20,
    });
    expect(allowedFailsPolicyFrom({ TimeoutErrorAllowedFails: -1, RateLimitErrorAllowedFails: '3' })).toEqual({});
    expect(allowedFailsPolicyFrom(undefined)).toEqual({});
  });
});
