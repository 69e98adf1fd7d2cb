import type { Prisma, PrismaClient } from '@tollgate/database';

type Reader = PrismaClient | Prisma.TransactionClient;

/** Everything that still points at a budget row, by kind (ids or readable names). */
export interface BudgetUsage {
  keys: string[];
  organizations: string[];
  endUsers: string[];
  teamMemberships: string[];
  organizationMemberships: string[];
}

export async function budgetUsage(db: Reader, budgetId: string): Promise<BudgetUsage> {
  const where = { budgetId };
  const [keys, organizations, endUsers, teamMembers, orgMembers] = await Promise.all([
    db.virtualKey.findMany({ where, select: { keyName: true, keyAlias: true } }),
    db.organization.findMany({ where, select: { id: true } }),
    db.endUser.findMany({ where, select: { id: true } }),
    db.teamMember.findMany({ where, select: { userId: true, teamId: true } }),
    db.organizationMember.findMany({ where, select: { userId: true, organizationId: true } }),
  ]);
  return {
    keys: keys.map((k) => k.keyAlias ?? k.keyName),
    organizations: organizations.map((o) => o.id),
    endUsers: endUsers.map((e) => e.id),
    teamMemberships: teamMembers.map((m) => `${m.userId} in team ${m.teamId}`),
    organizationMemberships: orgMembers.map((m) => `${m.userId} in organization ${m.organizationId}`),
  };
}

export function usageCount(usage: BudgetUsage): number {
  return Object.values(usage).reduce((total: number, list: string[]) => total + list.length, 0);
}

const LABELS: Record<keyof BudgetUsage, string> = {
  keys: 'keys',
  organizations: 'organizations',
  endUsers: 'end users (customers)',
  teamMemberships: 'team memberships',
  organizationMemberships: 'organization memberships',
};

/** "2 keys (a, b); 1 end users (customers) (bob)": what to detach before the budget can go. */
export function describeUsage(usage: BudgetUsage, shown = 5): string {
  return (Object.keys(LABELS) as Array<keyof BudgetUsage>)
    .filter((kind) => usage[kind].length > 0)
    .map((kind) => {
      const names = usage[kind];
      const more = names.length > shown ? `, and ${names.length - shown} more` : '';
      return `${names.length} ${LABELS[kind]} (${names.slice(0, shown).join(', ')}${more})`;
    })
    .join('; ');
}
