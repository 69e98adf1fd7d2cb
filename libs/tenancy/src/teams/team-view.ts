import type { Team, VirtualKey } from '@tollgate/database';
import { apiValue } from '../management/api-values';
import { memberWithRole, type MembershipDetail } from './team-memberships';

/** LiteLLM's team object (`LiteLLM_TeamTable` shape) with its members. */
export function teamView(team: Team, members: MembershipDetail[] = []): Record<string, unknown> {
  const view = apiValue({
    team_id: team.id,
    team_alias: team.alias,
    organization_id: team.organizationId,
    models: team.models,
    model_aliases: team.modelAliases,
    max_budget: team.maxBudget,
    soft_budget: team.softBudget,
    budget_duration: team.budgetDuration,
    budget_reset_at: team.budgetResetAt,
    spend: team.spend,
    tpm_limit: team.tpmLimit,
    rpm_limit: team.rpmLimit,
    max_parallel_requests: team.maxParallelRequests,
    model_rpm_limit: team.modelRpmLimit,
    model_tpm_limit: team.modelTpmLimit,
    model_max_budget: team.modelMaxBudget,
    team_member_permissions: team.memberPermissions,
    guardrails: team.guardrails,
    tags: team.tags,
    metadata: team.metadata,
    blocked: team.blocked,
    created_at: team.createdAt,
    created_by: team.createdBy,
    updated_at: team.updatedAt,
    updated_by: team.updatedBy,
  }) as Record<string, unknown>;
  view.admins = members.filter((m) => m.membership.role === 'admin').map((m) => m.membership.userId);
  view.members = members.map((m) => m.membership.userId);
  view.members_with_roles = members.map(memberWithRole);
  return view;
}

/**
 * A team's key as listed in /team/info and /team/list: the abbreviated key name, never the key or its hash
 * (the hash authenticates nothing, but it identifies a live key and is kept out of listings).
 */
export function keySummary(key: VirtualKey): Record<string, unknown> {
  return apiValue({
    key_name: key.keyName,
    key_alias: key.keyAlias,
    user_id: key.userId,
    team_id: key.teamId,
    organization_id: key.organizationId,
    models: key.models,
    spend: key.spend,
    max_budget: key.maxBudget,
    blocked: key.blocked,
    expires: key.expires,
    created_at: key.createdAt,
  }) as Record<string, unknown>;
}
