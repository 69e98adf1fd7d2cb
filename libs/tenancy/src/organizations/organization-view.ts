import type { Budget, Organization, OrganizationMember, User } from '@tollgate/database';
import { apiValue } from '../management/api-values';
import { budgetView } from '../teams/budget-view';
import type { Tx } from '../teams/member-users';

/** One organization membership with its user and in-org budget. */
export interface OrgMembershipDetail {
  membership: OrganizationMember;
  user?: User;
  budget?: Budget;
}

/** LiteLLM's organization object with its `litellm_budget_table`. */
export function organizationView(organization: Organization, budget: Budget | null | undefined): Record<string, unknown> {
  const view = apiValue({
    organization_id: organization.id,
    organization_alias: organization.alias,
    budget_id: organization.budgetId,
    models: organization.models,
    spend: organization.spend,
    metadata: organization.metadata,
    blocked: organization.blocked,
    created_at: organization.createdAt,
    created_by: organization.createdBy,
    updated_at: organization.updatedAt,
    updated_by: organization.updatedBy,
  }) as Record<string, unknown>;
  view.litellm_budget_table = budgetView(budget);
  return view;
}

/** LiteLLM's organization membership object. */
export function orgMembershipView(detail: OrgMembershipDetail): Record<string, unknown> {
  const m = detail.membership;
  return {
    user_id: m.userId,
    organization_id: m.organizationId,
    user_role: m.role,
    user_email: detail.user?.email ?? null,
    spend: m.spend.toNumber(),
    budget_id: m.budgetId,
    litellm_budget_table: budgetView(detail.budget),
    created_at: m.createdAt.toISOString(),
  };
}

/** Memberships of the given organizations, grouped by organization id. */
export async function loadOrgMemberships(db: Tx, organizationIds: string[]): Promise<Map<string, OrgMembershipDetail[]>> {
  const grouped = new Map<string, OrgMembershipDetail[]>(organizationIds.map((id) => [id, []]));
  if (organizationIds.length === 0) return grouped;
  const memberships = await db.organizationMember.findMany({
    where: { organizationId: { in: organizationIds } },
    orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
  });
  const userIds = [...new Set(memberships.map((m) => m.userId))];
  const budgetIds = [...new Set(memberships.flatMap((m) => (m.budgetId ? [m.budgetId] : [])))];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } } }) : [];
  const budgets = budgetIds.length ? await db.budget.findMany({ where: { id: { in: budgetIds } } }) : [];
  for (const membership of memberships) {
    grouped.get(membership.organizationId)?.push({
      membership,
      user: users.find((u) => u.id === membership.userId),
      budget: budgets.find((b) => b.id === membership.budgetId),
    });
  }
  return grouped;
}
