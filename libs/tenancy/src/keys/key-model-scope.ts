import { listCovers, type AccessGroups } from '../model-list-entries';

/**
 * The entries of a key's `models` that reach beyond `allowed` (a team's list): what a member may not grant
 * themselves. An empty `allowed` list places no limit; `all-team-models` always stays within the team.
 */
export function modelsBeyond(requested: readonly string[], allowed: readonly string[], accessGroups: AccessGroups = new Map()): string[] {
  if (allowed.length === 0) return [];
  return requested.filter((entry) => entry !== 'all-team-models' && !listCovers(allowed, entry, accessGroups));
}
