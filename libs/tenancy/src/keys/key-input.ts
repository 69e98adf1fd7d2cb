/**
 * The settings of a virtual key as LiteLLM's management API names them. On generate, `null` means "not set";
 * on update, `null` clears the setting and an absent field leaves it as it is.
 */
export interface KeySettingsInput {
  key_alias?: string | null;
  duration?: string | null;
  /** ISO date; the alternative to `duration`. */
  expires?: string | null;
  models?: string[] | null;
  aliases?: Record<string, string> | null;
  max_budget?: number | null;
  /** Sets the key's recorded spend (for example back to 0); lowering it is for proxy admins only. */
  spend?: number;
  soft_budget?: number | null;
  budget_duration?: string | null;
  budget_id?: string | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  model_max_budget?: Record<string, unknown> | null;
  model_rpm_limit?: Record<string, number> | null;
  model_tpm_limit?: Record<string, number> | null;
  metadata?: Record<string, unknown> | null;
  tags?: string[] | null;
  permissions?: Record<string, unknown> | null;
  allowed_routes?: string[] | null;
  guardrails?: string[] | null;
  blocked?: boolean | null;
  team_id?: string | null;
  user_id?: string | null;
  organization_id?: string | null;
}

export interface GenerateKeyInput extends KeySettingsInput {
  /** A custom key value (must start with `sk-`); generated when absent. */
  key?: string | null;
}

export interface UpdateKeyInput extends KeySettingsInput {
  /** The key to change: the key itself or its hash. */
  key: string;
}

export interface RegenerateKeyInput extends KeySettingsInput {
  key: string;
  /** The replacement value (must start with `sk-`); generated when absent. */
  new_key?: string | null;
  /** Keeping the old key alive for a while needs storage Tollgate does not have yet: refused with a 400. */
  grace_period?: string | null;
}

export interface DeleteKeysInput {
  keys?: string[] | null;
  key_aliases?: string[] | null;
}

export interface ListKeysInput {
  user_id?: string;
  team_id?: string;
  organization_id?: string;
  key_alias?: string;
  /** Match `key_alias` anywhere in the alias, ignoring case, instead of exactly. */
  substring_matching?: boolean;
  page?: number;
  size?: number;
  return_full_object?: boolean;
}
