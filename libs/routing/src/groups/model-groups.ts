import { WildcardPattern } from '@tollgate/common';
import type { ModelGroupAlias, RouterConfig } from '@tollgate/config';
import type { Deployment } from '@tollgate/providers';
import { type ContextWindowLookup, filterByContextWindow } from './context-window';
import { DerivedDeployments } from './derived-deployments';
import type { GroupHit, GroupMatch, GroupMiss, GroupResolution } from './group-resolution';
import { filterByTags } from './tag-filter';

/** The router settings model groups read; a full `RouterConfig` fits. */
export type GroupSettings = Pick<RouterConfig, 'modelGroupAlias' | 'enableTagFiltering' | 'tagFilteringMatchAny' | 'enablePreCallChecks'>;

/** What a request brings that narrows its group. */
export interface GroupRequest {
  /** The request's tags (body `tags`, `metadata.tags`, `x-litellm-tags`, key/team tags), for tag routing. */
  tags?: readonly string[];
  /** Estimated prompt tokens, for the context-window pre-call check. */
  inputTokens?: number;
}

export interface ModelGroupsOptions {
  /** Context windows for deployments without `model_info.max_input_tokens` (the pricing catalog). */
  contextWindows?: ContextWindowLookup;
  /** How many wildcard-derived deployments to keep; default 1000. */
  derivedCacheSize?: number;
}

interface WildcardGroup {
  pattern: WildcardPattern;
  deployments: Deployment[];
}

type Candidates = Omit<GroupHit, 'ok' | 'requested' | 'pinned'>;

/**
 * Model groups: which deployments may serve a requested model name. A name is looked up in LiteLLM's
 * order: a deployment id; a `model_group_alias` (which wins over a `model_name` of the same name, as in
 * LiteLLM); a `model_name`; the most specific wildcard `model_name`; a deployment's `litellm_params.model`.
 * Tag routing and the context-window pre-call check then narrow the group when they are enabled. Cooldowns
 * and the choice of one deployment are the router's.
 */
export class ModelGroups {
  private readonly groups = new Map<string, Deployment[]>();
  private readonly byId = new Map<string, Deployment>();
  private readonly byLitellmModel = new Map<string, Deployment[]>();
  /** Most specific first. */
  private readonly wildcards: WildcardGroup[];
  private readonly aliases: ReadonlyMap<string, ModelGroupAlias>;
  private readonly derived: DerivedDeployments;

  constructor(
    deployments: readonly Deployment[],
    private readonly settings: GroupSettings,
    private readonly options: ModelGroupsOptions = {},
  ) {
    this.aliases = new Map(Object.entries(settings.modelGroupAlias));
    this.derived = new DerivedDeployments(options.derivedCacheSize);
    const wildcardsByName = new Map<string, WildcardGroup>();
    for (const deployment of deployments) {
      this.byId.set(deployment.id, deployment);
      if (WildcardPattern.isWildcard(deployment.modelName)) {
        const group = wildcardsByName.get(deployment.modelName) ?? { pattern: new WildcardPattern(deployment.modelName), deployments: [] };
        group.deployments.push(deployment);
        wildcardsByName.set(deployment.modelName, group);
        continue;
      }
      push(this.groups, deployment.modelName, deployment);
      if (!WildcardPattern.isWildcard(deployment.params.model)) push(this.byLitellmModel, deployment.params.model, deployment);
    }
    this.wildcards = [...wildcardsByName.values()].sort((a, b) => WildcardPattern.bySpecificity(a.pattern, b.pattern));
  }

  /**
   * The deployments that may serve `requested`, or why none may. Tag filtering applies when
   * `enable_tag_filtering` is on; the context-window check when `enable_pre_call_checks` is on and
   * `inputTokens` is given. A deployment named by id skips both, as in LiteLLM.
   */
  resolve(requested: string, request: GroupRequest = {}): GroupResolution {
    const pinned = this.byId.get(requested);
    if (pinned !== undefined && !WildcardPattern.isWildcard(pinned.modelName)) {
      return { ok: true, requested, group: pinned.modelName, match: 'deployment_id', candidates: [pinned], pinned: true };
    }
    const found = this.lookUp(requested);
    if (!found.ok) return found;
    return this.narrow(requested, found, request);
  }

  /** Whether `name` is served (listed in /v1/models or resolvable), ignoring tags and prompt size. */
  has(name: string): boolean {
    return this.visibleModelNames().includes(name) || this.resolve(name).ok;
  }

  /**
   * Names for /v1/models, sorted: every `model_name` (wildcard ones as configured, e.g. `anthropic/*`) and
   * every alias not marked `hidden`.
   */
  visibleModelNames(): string[] {
    const names = new Set<string>([...this.groups.keys(), ...this.wildcards.map((group) => group.pattern.pattern)]);
    for (const [alias, { hidden }] of this.aliases) if (!hidden) names.add(alias);
    return [...names].sort();
  }

  /** The deployments of one `model_name` (wildcard names included), in config order. */
  deployments(modelName: string): readonly Deployment[] {
    return this.groups.get(modelName) ?? this.wildcards.find((group) => group.pattern.pattern === modelName)?.deployments ?? [];
  }

  /** Every configured deployment (wildcard ones as configured), in config order. */
  allDeployments(): Deployment[] {
    return [...this.byId.values()];
  }

  /** A configured deployment, or a wildcard-derived one while it is cached, by id. */
  deploymentById(id: string): Deployment | undefined {
    return this.byId.get(id) ?? this.derived.byId(id);
  }

  private lookUp(requested: string): (Candidates & { ok: true }) | GroupMiss {
    const alias = this.aliases.get(requested);
    if (alias !== undefined) {
      const target = this.byName(alias.model);
      if (target === undefined) {
        return unknownModel(requested, `model "${requested}" is an alias of "${alias.model}", which no model_name or wildcard serves`);
      }
      return target.ok ? Object.assign({}, target, { match: 'alias' as const, alias: requested }) : Object.assign({}, target, { requested });
    }
    // A wildcard name is a family of models, not one: asking for it literally would send `*` upstream.
    if (this.wildcards.some((group) => group.pattern.pattern === requested)) {
      return unknownModel(requested, `"${requested}" is a wildcard group; ask for a model it covers, such as "${requested.replace('*', 'some-model')}"`);
    }
    const byName = this.byName(requested);
    if (byName !== undefined) return byName.ok ? byName : Object.assign({}, byName, { requested });
    const byLitellmModel = this.byLitellmModel.get(requested);
    if (byLitellmModel !== undefined) {
      const groups = new Set(byLitellmModel.map((deployment) => deployment.modelName));
      const group = groups.size === 1 ? (byLitellmModel[0] as Deployment).modelName : requested;
      return { ok: true, group, match: 'litellm_model', candidates: [...byLitellmModel] };
    }
    return unknownModel(requested, `model "${requested}" is not served: no model_name, alias, deployment id or wildcard matches it`);
  }

  /** A `model_name` group or the most specific wildcard group serving `name`; undefined when none does. */
  private byName(name: string): (Candidates & { ok: true }) | GroupMiss | undefined {
    const exact = this.groups.get(name);
    if (exact !== undefined) return { ok: true, group: name, match: 'model_name' as GroupMatch, candidates: [...exact] };
    for (const wildcard of this.wildcards) {
      const captured = wildcard.pattern.match(name);
      if (captured === undefined) continue;
      return this.expandWildcard(wildcard, captured, name);
    }
    return undefined;
  }

  private expandWildcard(wildcard: WildcardGroup, captured: string[], name: string): (Candidates & { ok: true }) | GroupMiss {
    const candidates: Deployment[] = [];
    const reasons: string[] = [];
    for (const deployment of wildcard.deployments) {
      const derivation = this.derived.derive(deployment, captured, name);
      if (derivation.ok) candidates.push(derivation.deployment);
      else reasons.push(derivation.reason);
    }
    if (candidates.length === 0) {
      return unknownModel(name, `model "${name}" matches the wildcard group "${wildcard.pattern.pattern}", but ${reasons[0] ?? 'it has no deployment'}`);
    }
    return { ok: true, group: name, match: 'wildcard', pattern: wildcard.pattern.pattern, candidates };
  }

  private narrow(requested: string, found: Candidates, request: GroupRequest): GroupResolution {
    let candidates = found.candidates;
    if (this.settings.enableTagFiltering) {
      const tags = normaliseTags(request.tags);
      const filtered = filterByTags(candidates, tags, this.settings.tagFilteringMatchAny);
      if (!filtered.ok) return noTagMatch(requested, found.group, tags, this.settings.tagFilteringMatchAny);
      candidates = filtered.candidates;
    }
    const inputTokens = request.inputTokens;
    if (this.settings.enablePreCallChecks && inputTokens !== undefined && inputTokens > 0) {
      const fitting = filterByContextWindow(candidates, inputTokens, this.options.contextWindows);
      if (!fitting.ok) {
        return {
          ok: false,
          kind: 'context_window_exceeded',
          requested,
          group: found.group,
          inputTokens,
          largestContextWindow: fitting.largestContextWindow,
          message:
            `The prompt (about ${inputTokens} tokens) is larger than the context window of every deployment of model group ` +
            `"${found.group}" (largest: ${fitting.largestContextWindow} tokens). Shorten it, or configure context_window_fallbacks.`,
        };
      }
      candidates = fitting.candidates;
    }
    return { ok: true, requested, ...found, candidates, pinned: false };
  }
}

function push(map: Map<string, Deployment[]>, key: string, deployment: Deployment): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [deployment]);
  else list.push(deployment);
}

function normaliseTags(tags: readonly string[] | undefined): string[] {
  if (tags === undefined) return [];
  return [...new Set(tags.filter((tag) => typeof tag === 'string' && tag !== ''))];
}

function unknownModel(requested: string, message: string): GroupMiss {
  return { ok: false, kind: 'unknown_model', requested, message };
}

function noTagMatch(requested: string, group: string, tags: string[], matchAny: boolean): GroupMiss {
  const described = tags.map((tag) => JSON.stringify(tag)).join(', ');
  return {
    ok: false,
    kind: 'no_tag_match',
    requested,
    group,
    tags,
    message:
      `No deployment of model group "${group}" serves this request's tags [${described}]: a deployment needs ` +
      `${matchAny ? 'one' : 'all'} of them in its litellm_params.tags, or the tag "default" to take requests no other deployment's tags claim.`,
  };
}
