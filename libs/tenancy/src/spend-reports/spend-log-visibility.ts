import { canReadEverything, type CallerIdentity } from '@tollgate/auth';
import type { Prisma } from '@tollgate/database';
import { adminTeamsOf, forbidden } from '../keys/key-permissions';

/**
 * The request logs a caller may read: all of them for proxy admins and viewers; for a user, the requests
 * charged to them (made with their keys) and, for a team admin, every request charged to their teams. A
 * key of no user speaks for nobody and reads no logs (as for every management route but /key/info).
 */
export function spendLogVisibility(caller: CallerIdentity): Prisma.RequestLogWhereInput {
  if (canReadEverything(caller)) return {};
  if (!caller.user) throw forbidden('This key belongs to no user; spend logs are for the master key and keys of users.');
  const userId = caller.user.id;
  const teams = adminTeamsOf(caller);
  return teams.length > 0 ? { OR: [{ userId }, { teamId: { in: teams } }] } : { userId };
}
