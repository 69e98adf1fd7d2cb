import type { Deployment } from '@tollgate/providers';

/** The tag that marks deployments serving requests no other deployment's tags claim. */
export const DEFAULT_TAG = 'default';

export type TagFilterResult = { ok: true; candidates: Deployment[] } | { ok: false };

export function tagsOf(deployment: Deployment): readonly string[] {
  const tags = deployment.params.tags;
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [];
}

/**
 * LiteLLM's tag-based routing over one group's deployments:
 * - a request with tags goes to the deployments carrying any of them (all of them when `matchAny` is
 *   false); when none does, to the `default`-tagged deployments, unless a deployment of the group carries
 *   one of the tags (then the tags were meant for this group and matched nothing: a miss, not a silent
 *   default); with no `default` deployment either, it is a miss;
 * - a request without tags goes to the `default`-tagged deployments, or to all of them when none is.
 */
export function filterByTags(deployments: readonly Deployment[], requestTags: readonly string[], matchAny: boolean): TagFilterResult {
  const defaults = deployments.filter((deployment) => tagsOf(deployment).includes(DEFAULT_TAG));
  if (requestTags.length === 0) return { ok: true, candidates: defaults.length > 0 ? defaults : [...deployments] };

  const matching = deployments.filter((deployment) => {
    const tags = tagsOf(deployment);
    return matchAny ? requestTags.some((tag) => tags.includes(tag)) : requestTags.every((tag) => tags.includes(tag));
  });
  if (matching.length > 0) return { ok: true, candidates: matching };
  const tagKnownToGroup = deployments.some((deployment) => requestTags.some((tag) => tagsOf(deployment).includes(tag)));
  if (defaults.length > 0 && !tagKnownToGroup) return { ok: true, candidates: defaults };
  return { ok: false };
}
