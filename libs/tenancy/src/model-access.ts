import type { CallerIdentity } from '@tollgate/auth';
import { GatewayError } from '@tollgate/common';
import { entryGrants, type AccessGroups } from './model-list-entries';

function allowedBy(list: readonly string[], model: string, accessGroups: AccessGroups, teamModels: readonly string[]): boolean {
  if (list.length === 0) return true;
  return list.some((entry) =>
    entry === 'all-team-models' ? teamModels.length === 0 || teamModels.some((t) => entryGrants(t, model, accessGroups)) : entryGrants(entry, model, accessGroups),
  );
}

/**
 * The model group a caller's request goes to: its key's (then team's) alias for the requested name applied,
 * and access checked at every level (key, team, user, organization; an empty list places no limit). A
 * refusal is LiteLLM's 401 `key_model_access_denied`, naming the model and what the caller may use.
 */
export function authorizeModel(identity: CallerIdentity, requested: string, accessGroups: AccessGroups = new Map()): string {
  if (identity.isMaster) return requested;
  const model = identity.key?.aliases[requested] ?? identity.team?.modelAliases[requested] ?? requested;
  const teamModels = identity.team?.models ?? [];
  const levels: Array<[string, readonly string[]]> = [
    ['key', identity.key?.models ?? []],
    ['team', teamModels],
    ['user', identity.user?.models ?? []],
    ['organization', identity.organization?.models ?? []],
  ];
  for (const [level, list] of levels) {
    if (!allowedBy(list, model, accessGroups, teamModels)) {
      throw new GatewayError(
        401,
        `${level === 'organization' ? 'org' : level}_model_access_denied`,
        `This ${level} is not allowed to use model "${requested}"${model !== requested ? ` (alias of "${model}")` : ''}. Allowed: ${list.join(', ')}.`,
        { param: 'model', code: '401' },
      );
    }
  }
  return model;
}
