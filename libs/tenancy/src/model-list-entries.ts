import { matchesWildcard } from '@tollgate/common';

/** Access-group name -> the `model_name`s of the deployments in it (`model_info.access_groups`). */
export type AccessGroups = ReadonlyMap<string, readonly string[]>;

/** Entries that grant every model. */
const EVERYTHING = new Set(['*', 'all-proxy-models']);

/**
 * Whether one entry of a key, team, user or organization `models` list grants a model name: the name itself,
 * a wildcard matching it (`openai/*`, `anthropic/claude-*-sonnet`, `*`), or an access group holding it. An
 * access group holds model group names, wildcard groups (`openai/*`) included, and grants what they match.
 *
 * `model` may itself be a wildcard entry: `openai/*` grants `openai/gpt-*`, since `*` matches the text
 * `gpt-*` like any other.
 */
export function entryGrants(entry: string, model: string, accessGroups: AccessGroups): boolean {
  if (EVERYTHING.has(entry) || entry === model || matchesWildcard(entry, model)) return true;
  return accessGroups.get(entry)?.some((member) => member === model || matchesWildcard(member, model)) ?? false;
}

/**
 * Whether an `allowed` list covers an entry someone wants in a narrower list (a key within its team, a team
 * within its organization): an entry the list grants, or an access group every member of which it grants.
 */
export function listCovers(allowed: readonly string[], entry: string, accessGroups: AccessGroups, seen: ReadonlySet<string> = new Set()): boolean {
  if (allowed.some((candidate) => entryGrants(candidate, entry, accessGroups))) return true;
  const members = accessGroups.get(entry);
  // A model group may share its name with an access group; `seen` stops the walk going round that loop.
  if (members === undefined || members.length === 0 || seen.has(entry)) return false;
  const inside = new Set(seen).add(entry);
  return members.every((member) => listCovers(allowed, member, accessGroups, inside));
}
