import { GeneralSettings, LitellmSettings, RouterSettings } from './config.types';
import { describeFound } from './describe-value';
import { hasScheme, readBoolean, readMapping, readNumber, readString } from './field-readers';
import { validateHealthCheckKeys, validateLitellmRoutingKeys, validateRouterRoutingKeys } from './router-config/validate-routing-settings';
import { ValidationContext } from './validation-context';

export const UPSTREAM_CONNECTIONS_EXPECTED = 'a whole number of connections (0 for no limit)';

/**
 * The three settings sections. Only the keys Tollgate reads are type-checked; the rest are kept as they
 * are (and listed in `unusedKeys`). Coerced values (numbers/booleans given as strings) are written back.
 */
export function validateGeneralSettings(ctx: ValidationContext, value: unknown): GeneralSettings {
  const path = 'general_settings';
  const section = readMapping(ctx, value, path);
  if (section === undefined) return {};
  const settings: GeneralSettings = { ...section };
  readString(ctx, settings, 'master_key', path, { secret: true });
  readString(ctx, settings, 'database_url', path, { secret: true, expected: 'a PostgreSQL URL string' });
  readNumber(ctx, settings, 'max_request_size_mb', path, { sign: 'positive', expected: 'a positive number of megabytes' });
  readBoolean(ctx, settings, 'disable_reset_budget', path);
  readNumber(ctx, settings, 'proxy_budget_rescheduler_min_time', path, { sign: 'positive', expected: 'a positive number of seconds' });
  readNumber(ctx, settings, 'upstream_max_connections_per_host', path, { integer: true, min: 0, expected: UPSTREAM_CONNECTIONS_EXPECTED });
  readNumber(ctx, settings, 'upstream_keepalive_timeout', path, { sign: 'positive', expected: 'a positive number of seconds' });
  validateHealthCheckKeys(ctx, settings, path);
  return settings;
}

export function validateLitellmSettings(ctx: ValidationContext, value: unknown): LitellmSettings {
  const path = 'litellm_settings';
  const section = readMapping(ctx, value, path);
  if (section === undefined) return {};
  const settings: LitellmSettings = { ...section };
  readBoolean(ctx, settings, 'drop_params', path);
  readNumber(ctx, settings, 'request_timeout', path, { sign: 'positive', expected: 'a positive number of seconds' });
  readNumber(ctx, settings, 'max_budget', path, { sign: 'non-negative', expected: 'an amount of USD of 0 or more' });
  readNumber(ctx, settings, 'max_end_user_budget', path, { sign: 'non-negative', expected: 'an amount of USD of 0 or more' });
  readString(ctx, settings, 'max_end_user_budget_id', path);
  validateLitellmRoutingKeys(ctx, settings, path);
  return settings;
}

const REDIS_URL_EXPECTED = 'a redis:// or rediss:// URL';

export function validateRouterSettings(ctx: ValidationContext, value: unknown): RouterSettings {
  const path = 'router_settings';
  const section = readMapping(ctx, value, path);
  if (section === undefined) return {};
  const settings: RouterSettings = { ...section };
  const redisUrl = readString(ctx, settings, 'redis_url', path, { secret: true, expected: REDIS_URL_EXPECTED });
  if (redisUrl !== undefined && !isRedisUrl(redisUrl)) {
    ctx.report.problem(`${path}.redis_url`, `expected ${REDIS_URL_EXPECTED}, got ${describeFound(redisUrl, { secret: true })}`);
    delete settings.redis_url;
  }
  readString(ctx, settings, 'redis_host', path, { nonEmpty: true, expected: 'a host name like "redis.internal"' });
  readNumber(ctx, settings, 'redis_port', path, { integer: true, min: 1, max: 65535 });
  readString(ctx, settings, 'redis_password', path, { secret: true });
  for (const key of ['timeout', 'stream_timeout']) {
    readNumber(ctx, settings, key, path, { sign: 'positive', expected: 'a positive number of seconds' });
  }
  validateRouterRoutingKeys(ctx, settings, path);
  return settings;
}

export function isRedisUrl(value: string): boolean {
  return hasScheme(value, ['redis:', 'rediss:']);
}
