import type { Prisma, PrismaClient } from '@tollgate/database';
import { keyObject } from '../keys/key-response';
import { apiValue } from '../management/api-values';
import { modelSpend } from '../spend-reports/spend-totals';
import { userNotFound } from './user-admin';
import { userApi } from './user-fields';

export interface UserListQuery {
  page?: number;
  page_size?: number;
  /** Only users with this global role. */
  role?: string;
  /** Comma-separated user ids. */
  user_ids?: string;
  /** Part of the email, any case. */
  user_email?: string;
  /** Only members of this team. */
  team?: string;
}

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

/** Reads users for /user/info and /user/list (who may read whom is the route's decision). */
export class UserDirectory {
  constructor(private readonly db: PrismaClient) {}

  /** `{user_id, user_info, keys, teams}`: the user (with their spend per model), their keys (abbreviated) and their teams with their role in each. */
  async info(userId: string): Promise<Record<string, unknown>> {
    const user = await this.db.user.findUnique({ where: { id: userId } });
    if (!user) throw userNotFound([userId], 'user_id');
    const [keys, memberships] = await Promise.all([
      this.db.virtualKey.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } }),
      this.db.teamMember.findMany({ where: { userId } }),
    ]);
    const teams = await this.db.team.findMany({ where: { id: { in: memberships.map((m) => m.teamId) } }, orderBy: { id: 'asc' } });
    const roles = new Map(memberships.map((m) => [m.teamId, m.role]));
    return {
      user_id: user.id,
      user_info: { ...userApi(user), model_spend: await modelSpend(this.db, 'user', user.id) },
      keys: keys.map(keyObject),
      teams: teams.map((team) => ({
        team_id: team.id,
        team_alias: team.alias,
        organization_id: team.organizationId,
        models: team.models,
        max_budget: apiValue(team.maxBudget),
        spend: apiValue(team.spend),
        blocked: team.blocked,
        role: roles.get(team.id),
      })),
    };
  }

  /** One page of users, oldest first, with the ids of their teams: `{users, total, page, page_size, total_pages}`. */
  async list(query: UserListQuery): Promise<Record<string, unknown>> {
    const page = query.page ?? 1;
    const pageSize = Math.min(query.page_size ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const where: Prisma.UserWhereInput = {};
    if (query.role) where.role = query.role;
    if (query.user_email) where.email = { contains: query.user_email, mode: 'insensitive' };
    const ids = query.user_ids
      ?.split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (query.team) {
      const members = await this.db.teamMember.findMany({ where: { teamId: query.team }, select: { userId: true } });
      const inTeam = members.map((m) => m.userId);
      where.id = { in: ids ? inTeam.filter((id) => ids.includes(id)) : inTeam };
    } else if (ids) {
      where.id = { in: ids };
    }
    const [total, users] = await Promise.all([
      this.db.user.count({ where }),
      this.db.user.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: (page - 1) * pageSize, take: pageSize }),
    ]);
    const memberships = await this.db.teamMember.findMany({ where: { userId: { in: users.map((u) => u.id) } }, orderBy: { teamId: 'asc' } });
    return {
      users: users.map((user) => ({ ...userApi(user), teams: memberships.filter((m) => m.userId === user.id).map((m) => m.teamId) })),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
    };
  }
}
