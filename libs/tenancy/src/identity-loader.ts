import type { CallerIdentity, Limits, OrgRole, TeamRole, UserRole } from '@tollgate/auth';
import type { PrismaClient } from '@tollgate/database';

type Row = Record<string, unknown>;

const num = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : Number(value));
const json = <T>(value: unknown): T | undefined => (value && typeof value === 'object' ? (value as T) : undefined);

export function limitsOf(row: Row, budget?: Row | null): Limits {
  // A linked budget row supplies the limits the entity does not set itself.
  const pick = (key: string) => row[key] ?? budget?.[key];
  return {
    maxBudget: num(pick('maxBudget')),
    softBudget: num(pick('softBudget')),
    budgetDuration: (pick('budgetDuration') as string | null) ?? undefined,
    budgetResetAt: pick('budgetResetAt') instanceof Date ? (pick('budgetResetAt') as Date).getTime() : undefined,
    spend: Number(row.spend ?? 0),
    tpmLimit: num(pick('tpmLimit')),
    rpmLimit: num(pick('rpmLimit')),
    maxParallelRequests: num(pick('maxParallelRequests')),
    modelMaxBudget: json(pick('modelMaxBudget')),
    modelRpmLimit: json(row.modelRpmLimit),
    modelTpmLimit: json(row.modelTpmLimit),
  };
}

/**
 * Reads everything about a virtual key in a handful of indexed lookups (key, its budget, user, team,
 * organization, memberships) and folds it into one identity. Runs once per key per process; the cache in
 * front of it keeps the request path free of database round trips.
 */
export async function loadKeyIdentity(db: PrismaClient, keyHash: string): Promise<CallerIdentity | undefined> {
  const key = await db.virtualKey.findUnique({ where: { tokenHash: keyHash } });
  if (!key) return undefined;
  const [keyBudget, user, team, teamMemberships, orgMemberships] = await Promise.all([
    key.budgetId ? db.budget.findUnique({ where: { id: key.budgetId } }) : null,
    key.userId ? db.user.findUnique({ where: { id: key.userId } }) : null,
    key.teamId ? db.team.findUnique({ where: { id: key.teamId } }) : null,
    key.userId ? db.teamMember.findMany({ where: { userId: key.userId } }) : [],
    key.userId ? db.organizationMember.findMany({ where: { userId: key.userId } }) : [],
  ]);
  const organizationId = key.organizationId ?? team?.organizationId ?? undefined;
  const organization = organizationId ? await db.organization.findUnique({ where: { id: organizationId } }) : null;
  const orgBudget = organization?.budgetId ? await db.budget.findUnique({ where: { id: organization.budgetId } }) : null;
  const membership = team ? teamMemberships.find((m) => m.teamId === team.id) : undefined;
  const memberBudget = membership?.budgetId ? await db.budget.findUnique({ where: { id: membership.budgetId } }) : null;
  const teamRoles = Object.fromEntries(teamMemberships.map((m) => [m.teamId, m.role as TeamRole]));
  const role: UserRole = (user?.role as UserRole | undefined) ?? 'internal_user';

  return {
    keyHash,
    isMaster: false,
    role,
    key: {
      alias: key.keyAlias ?? undefined,
      name: key.keyName,
      models: key.models,
      aliases: (json<Record<string, string>>(key.aliases) ?? {}) as Record<string, string>,
      allowedRoutes: key.allowedRoutes,
      expires: key.expires ? key.expires.getTime() : undefined,
      blocked: key.blocked,
      tags: key.tags,
      guardrails: key.guardrails,
      metadata: json<Record<string, unknown>>(key.metadata) ?? {},
      permissions: json<Record<string, unknown>>(key.permissions) ?? {},
      budgetId: key.budgetId ?? undefined,
      limits: limitsOf(key as unknown as Row, keyBudget as unknown as Row | null),
    },
    user: user
      ? {
          id: user.id,
          role,
          models: user.models,
          blocked: user.blocked,
          limits: limitsOf(user as unknown as Row),
          teams: teamRoles,
          organizations: Object.fromEntries(orgMemberships.map((m) => [m.organizationId, m.role as OrgRole])),
        }
      : undefined,
    team: team
      ? {
          id: team.id,
          alias: team.alias ?? undefined,
          models: team.models,
          modelAliases: (json<Record<string, string>>(team.modelAliases) ?? {}) as Record<string, string>,
          blocked: team.blocked,
          memberRole: key.userId ? teamRoles[team.id] : undefined,
          memberPermissions: team.memberPermissions,
          limits: limitsOf(team as unknown as Row),
          memberLimits: membership && memberBudget ? limitsOf({ spend: membership.spend } as Row, memberBudget as unknown as Row) : undefined,
        }
      : undefined,
    organization: organization
      ? { id: organization.id, models: organization.models, blocked: organization.blocked, limits: limitsOf(organization as unknown as Row, orgBudget as unknown as Row | null) }
      : undefined,
  };
}
