import { badRequest } from '@tollgate/common';
import { Prisma } from '@tollgate/database';
import { durationEnd } from '../management/duration';
import type { KeySettingsInput } from './key-input';

type NullableJson = Prisma.InputJsonValue | Prisma.NullableJsonNullValueInput;

/** Column values for a key's own settings (ownership and budget links are resolved elsewhere). */
export interface KeySettingsData {
  keyAlias?: string | null;
  expires?: Date | null;
  models?: string[];
  aliases?: Prisma.InputJsonValue;
  maxBudget?: Prisma.Decimal | null;
  spend?: Prisma.Decimal;
  softBudget?: Prisma.Decimal | null;
  budgetDuration?: string | null;
  budgetResetAt?: Date | null;
  tpmLimit?: number | null;
  rpmLimit?: number | null;
  maxParallelRequests?: number | null;
  modelMaxBudget?: NullableJson;
  modelRpmLimit?: NullableJson;
  modelTpmLimit?: NullableJson;
  metadata?: Prisma.InputJsonValue;
  tags?: string[];
  permissions?: Prisma.InputJsonValue;
  allowedRoutes?: string[];
  guardrails?: string[];
  blocked?: boolean;
}

const MAX_ALIAS_LENGTH = 256;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function money(value: number, field: string): Prisma.Decimal {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw badRequest(`"${field}" must be a number >= 0; got ${JSON.stringify(value)}.`, field);
  return new Prisma.Decimal(String(value));
}

function count(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw badRequest(`"${field}" must be a whole number >= 0; got ${JSON.stringify(value)}.`, field);
  return value;
}

function strings(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw badRequest(`"${field}" must be a list of strings.`, field);
  return [...new Set(value as string[])];
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw badRequest(`"${field}" must be a JSON object.`, field);
  return value;
}

function stringMap(value: unknown, field: string): Record<string, string> {
  const map = object(value, field);
  for (const [name, target] of Object.entries(map)) {
    if (typeof target !== 'string' || target === '') throw badRequest(`"${field}.${name}" must be a model name (a non-empty string).`, field);
  }
  return map as Record<string, string>;
}

function countMap(value: unknown, field: string): Record<string, number> {
  const map = object(value, field);
  for (const [name, limit] of Object.entries(map)) count(limit as number, `${field}.${name}`);
  return map as Record<string, number>;
}

/** LiteLLM's per-model budgets: `{ "gpt-4o": { "budget_limit": 10, "time_period": "30d" } }`. */
function modelBudgets(value: unknown, field: string): Prisma.InputJsonObject {
  const map = object(value, field);
  for (const [name, budget] of Object.entries(map)) {
    const entry = object(budget, `${field}.${name}`);
    if (entry.budget_limit !== undefined && entry.budget_limit !== null) money(entry.budget_limit as number, `${field}.${name}.budget_limit`);
    if (typeof entry.time_period === 'string') durationEnd(entry.time_period, `${field}.${name}.time_period`);
  }
  return map as Prisma.InputJsonObject;
}

function isoDate(value: string, field: string): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw badRequest(`"${field}" must be an ISO 8601 date such as "2030-01-31T00:00:00Z"; got ${JSON.stringify(value)}.`, field);
  return date;
}

function alias(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_ALIAS_LENGTH) {
    throw badRequest(`"${field}" must be a non-empty string of at most ${MAX_ALIAS_LENGTH} characters.`, field);
  }
  return value;
}

/** When the key stops working: from `duration` (counted from `now`) or `expires`; undefined leaves it as it is. */
function expiryOf(input: KeySettingsInput, now: Date): Date | null | undefined {
  if (input.duration != null && input.expires != null) throw badRequest('Send either "duration" or "expires", not both.', 'duration');
  if (input.duration != null) return durationEnd(input.duration, 'duration', now);
  if (input.expires !== undefined) return input.expires === null ? null : isoDate(input.expires, 'expires');
  return input.duration === null ? null : undefined;
}

/**
 * Validates a key's settings and turns the ones present into column values: an absent field is left out,
 * `null` clears it (empty list or object for columns that cannot be null). Each problem is a 400 naming the field.
 */
export function keySettingsData(input: KeySettingsInput, now: Date = new Date()): KeySettingsData {
  const data: KeySettingsData = {};
  const has = (field: keyof KeySettingsInput) => input[field] !== undefined;
  if (has('key_alias')) data.keyAlias = input.key_alias === null ? null : alias(input.key_alias as string, 'key_alias');
  const expires = expiryOf(input, now);
  if (expires !== undefined) data.expires = expires;
  if (has('models')) data.models = input.models === null ? [] : strings(input.models, 'models');
  if (has('aliases')) data.aliases = input.aliases === null ? {} : stringMap(input.aliases, 'aliases');
  if (has('max_budget')) data.maxBudget = input.max_budget === null ? null : money(input.max_budget as number, 'max_budget');
  if (has('spend')) data.spend = money(input.spend as number, 'spend');
  if (has('soft_budget')) data.softBudget = input.soft_budget === null ? null : money(input.soft_budget as number, 'soft_budget');
  if (has('budget_duration')) {
    data.budgetDuration = input.budget_duration ?? null;
    data.budgetResetAt = input.budget_duration == null ? null : durationEnd(input.budget_duration, 'budget_duration', now);
  }
  if (has('tpm_limit')) data.tpmLimit = input.tpm_limit === null ? null : count(input.tpm_limit as number, 'tpm_limit');
  if (has('rpm_limit')) data.rpmLimit = input.rpm_limit === null ? null : count(input.rpm_limit as number, 'rpm_limit');
  if (has('max_parallel_requests')) {
    data.maxParallelRequests = input.max_parallel_requests === null ? null : count(input.max_parallel_requests as number, 'max_parallel_requests');
  }
  if (has('model_max_budget')) {
    data.modelMaxBudget = input.model_max_budget === null ? Prisma.DbNull : modelBudgets(input.model_max_budget, 'model_max_budget');
  }
  if (has('model_rpm_limit')) data.modelRpmLimit = input.model_rpm_limit === null ? Prisma.DbNull : countMap(input.model_rpm_limit, 'model_rpm_limit');
  if (has('model_tpm_limit')) data.modelTpmLimit = input.model_tpm_limit === null ? Prisma.DbNull : countMap(input.model_tpm_limit, 'model_tpm_limit');
  if (has('metadata')) data.metadata = input.metadata === null ? {} : (object(input.metadata, 'metadata') as Prisma.InputJsonObject);
  if (has('tags')) data.tags = input.tags === null ? [] : strings(input.tags, 'tags');
  if (has('permissions')) data.permissions = input.permissions === null ? {} : (object(input.permissions, 'permissions') as Prisma.InputJsonObject);
  if (has('allowed_routes')) data.allowedRoutes = input.allowed_routes === null ? [] : strings(input.allowed_routes, 'allowed_routes');
  if (has('guardrails')) data.guardrails = input.guardrails === null ? [] : strings(input.guardrails, 'guardrails');
  if (input.blocked != null) {
    if (typeof input.blocked !== 'boolean') throw badRequest('"blocked" must be true or false.', 'blocked');
    data.blocked = input.blocked;
  }
  return data;
}
