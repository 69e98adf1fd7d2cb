import type { Budget, TeamMember, User } from '@tollgate/database';
import { budgetView } from './budget-view';
import type { Tx } from './member-users';

/** One team membership with the member's user row and their in-team budget, when any. */
export interface MembershipDetail {
  membership: TeamMember;
  user?: User;
  budget?: Budget;
}

/** Memberships of the given teams, grouped by team id, in the order members joined. */
export async function loadMemberships(db: Tx, teamIds: string[]): Promise<Map<string, MembershipDetail[]>> {
  const grouped = new Map<string, MembershipDetail[]>(teamIds.map((id) => [id, []]));
  if (teamIds.length === 0) return grouped;
  const memberships = await db.teamMember.findMany({ where: { teamId: { in: teamIds } }, orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }] });
  const userIds = [...new Set(memberships.map((m) => m.userId))];
  const budgetIds = [...new Set(memberships.flatMap((m) => (m.budgetId ? [m.budgetId] : [])))];
  // Sequential on purpose: `db` may be a transaction, which runs one statement at a time anyway.
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } } }) : [];
  const budgets = budgetIds.length ? await db.budget.findMany({ where: { id: { in: budgetIds } } }) : [];
  const userById = new Map(users.map((u) => [u.id, u]));
  const budgetById = new Map(budgets.map((b) => [b.id, b]));
  for (const membership of memberships) {
    grouped.get(membership.teamId)?.push({
      membership,
      user: userById.get(membership.userId),
      budget: membership.budgetId ? budgetById.get(membership.budgetId) : undefined,
    });
  }
  return grouped;
}

/** LiteLLM's `members_with_roles` entry. */
export function memberWithRole(detail: MembershipDetail): Record<string, unknown> {
  return { role: detail.membership.role, user_id: detail.membership.userId, user_email: detail.user?.email ?? null };
}

/** LiteLLM's team membership object (`team_memberships`, `updated_team_memberships`). */
export function membershipView(detail: MembershipDetail): Record<string, unknown> {
  const m = detail.membership;
  return {
    user_id: m.userId,
    team_id: m.teamId,
    role: m.role,
    user_email: detail.user?.email ?? null,
    spend: m.spend.toNumber(),
    budget_id: m.budgetId,
    litellm_budget_table: budgetView(detail.budget),
    created_at: m.createdAt.toISOString(),
  };
}
