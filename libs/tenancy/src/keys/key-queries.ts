import { badRequest } from '@tollgate/common';
import type { Prisma, PrismaClient } from '@tollgate/database';
import type { CallerIdentity } from '@tollgate/auth';
import { modelSpend } from '../spend-reports/spend-totals';
import type { ListKeysInput } from './key-input';
import { findKey } from './key-lookup';
import { adminTeamsOf, forbidden, mayReadKey, readsAllKeys, requireUser } from './key-permissions';
import { keyObject } from './key-response';

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

export interface KeyListPage {
  keys: Array<string | Record<string, unknown>>;
  total_count: number;
  current_page: number;
  total_pages: number;
}

function pageNumber(value: number | undefined, field: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw badRequest(`"${field}" must be a whole number from 1 to ${max}.`, field);
  return value;
}

/** The keys a caller may see at all: everything for admins and viewers, else their own and their teams'. */
function visibleTo(caller: CallerIdentity): Prisma.VirtualKeyWhereInput {
  requireUser(caller);
  if (readsAllKeys(caller)) return {};
  const userId = (caller.user as NonNullable<CallerIdentity['user']>).id;
  const teams = adminTeamsOf(caller);
  return teams.length > 0 ? { OR: [{ userId }, { teamId: { in: teams } }] } : { userId };
}

function filtersOf(input: ListKeysInput): Prisma.VirtualKeyWhereInput[] {
  const filters: Prisma.VirtualKeyWhereInput[] = [];
  if (input.user_id !== undefined) filters.push({ userId: input.user_id });
  if (input.team_id !== undefined) filters.push({ teamId: input.team_id });
  if (input.organization_id !== undefined) filters.push({ organizationId: input.organization_id });
  if (input.key_alias !== undefined) {
    filters.push({ keyAlias: input.substring_matching ? { contains: input.key_alias, mode: 'insensitive' } : input.key_alias });
  }
  return filters;
}

/** Reading keys: never the key itself (it is not stored), only its hash and settings. */
export class VirtualKeyQueries {
  constructor(private readonly db: PrismaClient) {}

  /**
   * One key's settings, named by the key or its hash; without one, the caller's own key. Readable by
   * admins and viewers, the key's user, its team's admins, and the key itself. `model_spend` is its spend per model.
   */
  async info(caller: CallerIdentity, keyOrHash: string | undefined): Promise<{ key: string; info: Record<string, unknown> }> {
    if (keyOrHash === undefined && caller.key === undefined) throw badRequest('Name the key: GET /key/info?key=<key or its hash>.', 'key');
    const row = await findKey(this.db, keyOrHash ?? caller.keyHash);
    if (!mayReadKey(caller, row)) throw forbidden('You may read only your own keys and the keys of teams you administer.');
    return { key: row.tokenHash, info: { ...keyObject(row), model_spend: await modelSpend(this.db, 'key', row.tokenHash) } };
  }

  /** A page of keys the caller may see, newest first; hashes only unless `return_full_object`. */
  async list(caller: CallerIdentity, input: ListKeysInput): Promise<KeyListPage> {
    const page = pageNumber(input.page, 'page', 1);
    const size = pageNumber(input.size, 'size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const where: Prisma.VirtualKeyWhereInput = { AND: [visibleTo(caller), ...filtersOf(input)] };
    const [total, rows] = await Promise.all([
      this.db.virtualKey.count({ where }),
      this.db.virtualKey.findMany({ where, orderBy: [{ createdAt: 'desc' }, { tokenHash: 'asc' }], skip: (page - 1) * size, take: size }),
    ]);
    return {
      keys: input.return_full_object ? rows.map(keyObject) : rows.map((row) => row.tokenHash),
      total_count: total,
      current_page: page,
      total_pages: Math.ceil(total / size),
    };
  }
}
