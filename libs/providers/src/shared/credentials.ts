import type { LitellmParams } from '@tollgate/config';

/**
 * A deployment setting, else the first set environment variable among `envNames` (each provider's usual
 * variables, such as ANTHROPIC_API_KEY).
 */
export function setting(params: LitellmParams, key: string, envNames: readonly string[] = []): string | undefined {
  const value = params[key];
  if (typeof value === 'string' && value !== '') return value;
  for (const name of envNames) {
    const fromEnv = process.env[name];
    if (fromEnv) return fromEnv;
  }
  return undefined;
}
