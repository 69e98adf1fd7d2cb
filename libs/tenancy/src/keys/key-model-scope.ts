/** Entries that grant every model. */
const EVERYTHING = new Set(['*', 'all-proxy-models']);

function coveredByEntry(requested: string, entry: string): boolean {
  if (EVERYTHING.has(entry) || entry === requested) return true;
  // `openai/*` covers `openai/gpt-4o` and the narrower wildcard `openai/gpt-*`.
  return entry.endsWith('*') && requested.startsWith(entry.slice(0, -1));
}

function covered(requested: string, allowed: readonly string[], accessGroups: ReadonlyMap<string, readonly string[]>): boolean {
  if (allowed.some((entry) => coveredByEntry(requested, entry))) return true;
  // A model named by an allowed access group is allowed...
  if (allowed.some((entry) => accessGroups.get(entry)?.includes(requested))) return true;
  // ...and an access group is within the list when every model it names is.
  const members = accessGroups.get(requested);
  return members !== undefined && members.length > 0 && members.every((model) => covered(model, allowed, accessGroups));
}

/**
 * The entries of a key's `models` that reach beyond `allowed` (a team's list): what a member may not grant
 * themselves. An empty `allowed` list places no limit; `all-team-models` always stays within the team.
 */
export function modelsBeyond(requested: readonly string[], allowed: readonly string[], accessGroups: ReadonlyMap<string, readonly string[]> = new Map()): string[] {
  if (allowed.length === 0) return [];
  return requested.filter((entry) => entry !== 'all-team-models' && !covered(entry, allowed, accessGroups));
}
