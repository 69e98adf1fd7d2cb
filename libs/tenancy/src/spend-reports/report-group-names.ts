import type { PrismaClient } from '@tollgate/database';
import type { ReportGroup } from './spend-report-query';

/** Display fields of one group, in the order answers list them (e.g. `team_id`, `team_name`). */
export type GroupNames = Record<string, string | null>;

/** How a grouping names its groups: the id field, the display field, and what the unassigned group is called. */
export interface GroupNaming {
  /** The field of the group's array in each day (`teams`, `keys`, ...). */
  plural: string;
  idField: string;
  nameField?: string;
  unassignedName?: string;
}

export const GROUP_NAMING: Record<Exclude<ReportGroup, 'day'>, GroupNaming> = {
  team: { plural: 'teams', idField: 'team_id', nameField: 'team_name', unassignedName: 'Unassigned Team' },
  key: { plural: 'keys', idField: 'api_key', nameField: 'key_alias' },
  api_key: { plural: 'keys', idField: 'api_key', nameField: 'key_alias' },
  user: { plural: 'users', idField: 'user_id', nameField: 'user_email' },
  customer: { plural: 'customers', idField: 'customer', nameField: 'customer_alias' },
  organization: { plural: 'organizations', idField: 'organization_id', nameField: 'organization_alias' },
  tag: { plural: 'tags', idField: 'tag' },
  model: { plural: 'models', idField: 'model' },
};

/**
 * id -> display name for the groups of a report, read in one query. A team without an alias is named by its
 * id (as are teams deleted since); keys, users, customers and organizations without one have null.
 */
export async function groupDisplayNames(db: PrismaClient, group: ReportGroup, ids: string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const where = { id: { in: ids } };
  switch (group) {
    case 'team': {
      const rows = await db.team.findMany({ where, select: { id: true, alias: true } });
      const aliases = new Map(rows.map((row) => [row.id, row.alias]));
      return new Map(ids.map((id) => [id, aliases.get(id) ?? id]));
    }
    case 'key':
    case 'api_key': {
      const rows = await db.virtualKey.findMany({ where: { tokenHash: { in: ids } }, select: { tokenHash: true, keyAlias: true } });
      return new Map(rows.map((row) => [row.tokenHash, row.keyAlias]));
    }
    case 'user': {
      const rows = await db.user.findMany({ where, select: { id: true, email: true } });
      return new Map(rows.map((row) => [row.id, row.email]));
    }
    case 'customer': {
      const rows = await db.endUser.findMany({ where, select: { id: true, alias: true } });
      return new Map(rows.map((row) => [row.id, row.alias]));
    }
    case 'organization': {
      const rows = await db.organization.findMany({ where, select: { id: true, alias: true } });
      return new Map(rows.map((row) => [row.id, row.alias]));
    }
    default:
      return new Map();
  }
}

/** The naming fields of one group (`{team_id, team_name}`); the unassigned group has a null id. */
export function namesOf(naming: GroupNaming, groupId: string | null, names: Map<string, string | null>): GroupNames {
  const fields: GroupNames = { [naming.idField]: groupId };
  if (naming.nameField) fields[naming.nameField] = groupId === null ? (naming.unassignedName ?? null) : (names.get(groupId) ?? null);
  return fields;
}
