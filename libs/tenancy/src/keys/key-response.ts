import type { VirtualKey } from '@tollgate/database';
import { renameFields } from '../management/api-values';

/** Column -> LiteLLM field name, in the order responses list them. */
const KEY_FIELD_NAMES: Record<keyof VirtualKey, string> = {
  tokenHash: 'token',
  keyName: 'key_name',
  keyAlias: 'key_alias',
  userId: 'user_id',
  teamId: 'team_id',
  organizationId: 'organization_id',
  budgetId: 'budget_id',
  models: 'models',
  aliases: 'aliases',
  spend: 'spend',
  maxBudget: 'max_budget',
  softBudget: 'soft_budget',
  budgetDuration: 'budget_duration',
  budgetResetAt: 'budget_reset_at',
  tpmLimit: 'tpm_limit',
  rpmLimit: 'rpm_limit',
  maxParallelRequests: 'max_parallel_requests',
  modelMaxBudget: 'model_max_budget',
  modelRpmLimit: 'model_rpm_limit',
  modelTpmLimit: 'model_tpm_limit',
  metadata: 'metadata',
  tags: 'tags',
  permissions: 'permissions',
  allowedRoutes: 'allowed_routes',
  guardrails: 'guardrails',
  blocked: 'blocked',
  expires: 'expires',
  createdAt: 'created_at',
  createdBy: 'created_by',
  updatedAt: 'updated_at',
  updatedBy: 'updated_by',
};

/** A stored key as LiteLLM's JSON (`token` is the hash; the key itself is never stored, so never shown). */
export function keyObject(row: VirtualKey): Record<string, unknown> {
  return renameFields(row as unknown as Record<string, unknown>, KEY_FIELD_NAMES);
}

/** What the audit log keeps of a key: its settings, without the hash that identifies the live key. */
export function keyAuditValue(row: VirtualKey): Record<string, unknown> {
  const { token: _hash, ...rest } = keyObject(row);
  return rest;
}

/**
 * The answer to generate and regenerate, the only ones that show the key: LiteLLM's `key` (the key itself,
 * shown once), `token` and `token_id` (its hash, which names it later), then every setting.
 */
export function issuedKeyObject(row: VirtualKey, key: string): Record<string, unknown> {
  return { key, ...keyObject(row), token_id: row.tokenHash };
}
