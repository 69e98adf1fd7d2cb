import type { Organization, Prisma } from '@tollgate/database';
import { notFound } from '@tollgate/common';
import type { Tx } from '../teams/member-users';
import { loadMemberships } from '../teams/team-memberships';
import { teamView } from '../teams/team-view';
import { loadOrgMemberships, orgMembershipView, organizationView } from './organization-view';

/** Every named organization, or a 404 naming the first unknown one. */
export async function requireOrganizations(db: Tx, organizationIds: string[]): Promise<Organization[]> {
  const found = await db.organization.findMany({ where: { id: { in: organizationIds } } });
  const missing = organizationIds.find((id) => !found.some((o) => o.id === id));
  if (missing !== undefined) throw notFound(`Organization "${missing}" does not exist.`, 'organization_ids', 'organization_not_found');
  return found;
}

/** Organizations rendered as LiteLLM's `LiteLLM_OrganizationTableWithMembers`: budget, members and teams. */
export async function organizationsWithMembers(db: Tx, organizations: Organization[]): Promise<Record<string, unknown>[]> {
  const ids = organizations.map((o) => o.id);
  const budgetIds = organizations.flatMap((o) => (o.budgetId ? [o.budgetId] : []));
  const budgets = budgetIds.length ? await db.budget.findMany({ where: { id: { in: budgetIds } } }) : [];
  const members = await loadOrgMemberships(db, ids);
  const teams = ids.length ? await db.team.findMany({ where: { organizationId: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }) : [];
  const teamMembers = await loadMemberships(db, teams.map((t) => t.id));
  return organizations.map((organization) => ({
    ...organizationView(organization, budgets.find((b) => b.id === organization.budgetId)),
    members: (members.get(organization.id) ?? []).map(orgMembershipView),
    teams: teams.filter((t) => t.organizationId === organization.id).map((t) => teamView(t, teamMembers.get(t.id))),
  }));
}

/** GET /organization/info. */
export async function organizationInfo(db: Tx, organizationId: string): Promise<Record<string, unknown>> {
  const organization = await db.organization.findUnique({ where: { id: organizationId } });
  if (!organization) throw notFound(`Organization "${organizationId}" does not exist.`, 'organization_id', 'organization_not_found');
  const [view] = await organizationsWithMembers(db, [organization]);
  return view;
}

export interface OrganizationListFilter {
  /** Exact id (LiteLLM's `org_id`). */
  organizationId?: string;
  /** Case-insensitive part of the alias (LiteLLM's `org_alias`). */
  aliasContains?: string;
  /** When set, only these organizations (those a non-admin caller belongs to). */
  visibleIds?: string[];
}

/** GET /organization/list. */
export async function listOrganizations(db: Tx, filter: OrganizationListFilter): Promise<Record<string, unknown>[]> {
  const and: Prisma.OrganizationWhereInput[] = [];
  if (filter.organizationId) and.push({ id: filter.organizationId });
  if (filter.aliasContains) and.push({ alias: { contains: filter.aliasContains, mode: 'insensitive' } });
  if (filter.visibleIds) and.push({ id: { in: filter.visibleIds } });
  const organizations = await db.organization.findMany({ where: { AND: and }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return organizationsWithMembers(db, organizations);
}
