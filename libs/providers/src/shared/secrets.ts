import type { LitellmParams } from '@tollgate/config';

/** `litellm_params` keys holding credentials (`api_key`, `aws_secret_access_key`, `azure_ad_token`, ...). */
const SECRET_PARAM = /(^|_)(key|secret|token|password|credentials?)$|secret/i;
/** Environment variables holding credentials (`OPENAI_API_KEY`, `AWS_SESSION_TOKEN`, `HF_TOKEN`, ...). */
const SECRET_ENV = /(_|^)(KEY|SECRET|TOKEN|PASSWORD|CREDENTIALS)$|SECRET|PASSWORD/;
/** Shorter values are too likely to occur in ordinary text to be worth redacting (and to be real keys). */
const MIN_SECRET_LENGTH = 8;

/**
 * Every credential a deployment's calls may carry: its own secret-like settings (and header values) plus
 * every secret-like environment variable, since providers fall back to those (OPENAI_API_KEY, AWS_...).
 * Computed once at startup; used to scrub upstream text before it reaches a caller or a log.
 */
export function collectSecrets(params: LitellmParams, env: NodeJS.ProcessEnv = process.env): string[] {
  const found = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) found.add(value);
  };
  for (const [name, value] of Object.entries(params)) {
    if (!SECRET_PARAM.test(name)) continue;
    add(value);
    if (typeof value === 'string' && value.trim().startsWith('{')) {
      try {
        const json = JSON.parse(value) as Record<string, unknown>;
        add(json.private_key);
        add(json.client_secret);
      } catch {
        // Not JSON: the whole value is already listed.
      }
    }
  }
  if (params.extra_headers && typeof params.extra_headers === 'object') {
    for (const value of Object.values(params.extra_headers as Record<string, unknown>)) add(value);
  }
  for (const [name, value] of Object.entries(env)) if (SECRET_ENV.test(name)) add(value);
  // Longest first, so a key containing another is removed whole.
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join('[redacted]');
  return result;
}
