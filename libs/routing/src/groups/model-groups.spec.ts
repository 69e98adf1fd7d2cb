import { describe, expect, it } from 'vitest';
import type { DeploymentConfig, ModelGroupAlias, TollgateConfig } from '@tollgate/config';
import type { Deployment } from '@tollgate/providers';
import { PricingCatalog } from '@tollgate/spend';
import { deploymentId, resolveDeployments } from '../deployment-resolver';
import { catalogContextWindows } from './context-window';
import type { GroupHit, GroupMiss, GroupResolution } from './group-resolution';
import { type GroupSettings, ModelGroups, type ModelGroupsOptions } from './model-groups';

function entry(model_name: string, litellm_params: DeploymentConfig['litellm_params'], model_info: DeploymentConfig['model_info'] = {}): DeploymentConfig {
  return { model_name, litellm_params, model_info };
}

function deploymentsOf(model_list: DeploymentConfig[]): Deployment[] {
  const config = { model_list, general_settings: {}, litellm_settings: {}, router_settings: {} } as unknown as TollgateConfig;
  const { deployments, problems } = resolveDeployments(config);
  expect(problems).toEqual([]);
  return deployments;
}

const NO_ROUTING: GroupSettings = { modelGroupAlias: {}, enableTagFiltering: false, tagFilteringMatchAny: true, enablePreCallChecks: false };

function groupsOf(model_list: DeploymentConfig[], settings: Partial<GroupSettings> = {}, options: ModelGroupsOptions = {}): ModelGroups {
  return new ModelGroups(deploymentsOf(model_list), { ...NO_ROUTING, ...settings }, options);
}

function alias(model: string, hidden = false): ModelGroupAlias {
  return { model, hidden };
}

function hit(resolution: GroupResolution): GroupHit {
  if (!resolution.ok) throw new Error(`expected a hit, got ${resolution.kind}: ${resolution.message}`);
  return resolution;
}

function miss(resolution: GroupResolution): GroupMiss {
  if (resolution.ok) throw new Error(`expected a miss, got group ${resolution.group}`);
  return resolution;
}

const ids = (resolution: GroupResolution) => hit(resolution).candidates.map((d) => d.id);

describe('ModelGroups.resolve: names', () => {
  const groups = groupsOf([
    entry('gpt-4o', { model: 'fake/a' }, { id: 'a1' }),
    entry('claude', { model: 'fake/c' }, { id: 'c1' }),
    entry('gpt-4o', { model: 'fake/b' }, { id: 'a2' }),
    entry('hashed', { model: 'fake/h' }),
  ]);

  it('serves a model_name with every deployment of the group, in config order', () => {
    expect(groups.resolve('gpt-4o')).toMatchObject({ ok: true, requested: 'gpt-4o', group: 'gpt-4o', match: 'model_name', pinned: false });
    expect(ids(groups.resolve('gpt-4o'))).toEqual(['a1', 'a2']);
  });

  it('is case-sensitive, like LiteLLM', () => {
    expect(miss(groups.resolve('GPT-4o')).kind).toBe('unknown_model');
  });

  it('serves one deployment named by its id, reporting its group, pinned', () => {
    expect(groups.resolve('a2')).toMatchObject({ ok: true, requested: 'a2', group: 'gpt-4o', match: 'deployment_id', pinned: true });
    expect(ids(groups.resolve('a2'))).toEqual(['a2']);
  });

  it('accepts the hash id of a deployment without model_info.id', () => {
    const id = deploymentId(entry('hashed', { model: 'fake/h' }));
    expect(ids(groups.resolve(id))).toEqual([id]);
  });

  it("serves a deployment's litellm_params.model sent as the model (LiteLLM's last resort)", () => {
    expect(groups.resolve('fake/c')).toMatchObject({ ok: true, group: 'claude', match: 'litellm_model' });
    expect(ids(groups.resolve('fake/c'))).toEqual(['c1']);
  });

  it('names the model in a miss', () => {
    expect(miss(groups.resolve('nope'))).toEqual({
      ok: false,
      kind: 'unknown_model',
      requested: 'nope',
      message: 'model "nope" is not served: no model_name, alias, deployment id or wildcard matches it',
    });
  });
});

describe('ModelGroups.resolve: aliases', () => {
  const model_list = [
    entry('gpt-4o', { model: 'fake/a' }, { id: 'a1' }),
    entry('gpt-4', { model: 'fake/old' }, { id: 'old' }),
    entry('anthropic/*', { model: 'anthropic/*', api_key: 'sk-ant' }, { id: 'ant' }),
  ];

  it('sends an alias to its target group, reporting the target as the group', () => {
    const groups = groupsOf(model_list, { modelGroupAlias: { smart: alias('gpt-4o') } });
    expect(groups.resolve('smart')).toMatchObject({ ok: true, requested: 'smart', group: 'gpt-4o', match: 'alias', alias: 'smart', pinned: false });
    expect(ids(groups.resolve('smart'))).toEqual(['a1']);
  });

  it('wins over a model_name of the same name, as in LiteLLM', () => {
    const groups = groupsOf(model_list, { modelGroupAlias: { 'gpt-4': alias('gpt-4o') } });
    expect(ids(groups.resolve('gpt-4'))).toEqual(['a1']);
    expect(ids(groups.resolve('old'))).toEqual(['old']);
  });

  it('may target a name a wildcard group serves', () => {
    const groups = groupsOf(model_list, { modelGroupAlias: { claude: alias('anthropic/claude-sonnet-4-5') } });
    const resolved = hit(groups.resolve('claude'));
    expect(resolved).toMatchObject({ group: 'anthropic/claude-sonnet-4-5', match: 'alias', alias: 'claude', pattern: 'anthropic/*' });
    expect(resolved.candidates[0]).toMatchObject({ provider: 'anthropic', upstreamModel: 'claude-sonnet-4-5' });
  });

  it('is a miss naming the target when nothing serves it', () => {
    const groups = groupsOf(model_list, { modelGroupAlias: { ghost: alias('nowhere') } });
    expect(miss(groups.resolve('ghost'))).toMatchObject({
      kind: 'unknown_model',
      requested: 'ghost',
      message: 'model "ghost" is an alias of "nowhere", which no model_name or wildcard serves',
    });
  });
});

describe('ModelGroups.resolve: wildcards', () => {
  const model_list = [
    entry('*', { model: 'openai/*', api_key: 'sk-catch-all' }, { id: 'any' }),
    entry('anthropic/*', { model: 'anthropic/*', api_key: 'sk-ant-1' }, { id: 'ant-1' }),
    entry('openai/gpt-4*', { model: 'openai/gpt-4*', api_base: 'https://gpt4.example/v1' }, { id: 'gpt4' }),
    entry('anthropic/*', { model: 'anthropic/*', api_key: 'sk-ant-2' }, { id: 'ant-2' }),
    entry('openai/*', { model: 'openai/*' }, { id: 'oai' }),
    entry('gpt-4o', { model: 'fake/exact' }, { id: 'exact' }),
    entry('team/*', { model: 'fake/fixed' }, { id: 'fixed' }),
  ];
  const groups = groupsOf(model_list);

  it('derives one deployment per wildcard deployment, with the requested model upstream', () => {
    const resolved = hit(groups.resolve('anthropic/claude-sonnet-4-5'));
    expect(resolved).toMatchObject({ group: 'anthropic/claude-sonnet-4-5', match: 'wildcard', pattern: 'anthropic/*', pinned: false });
    expect(resolved.candidates.map((d) => d.id)).toEqual(['ant-1::anthropic/claude-sonnet-4-5', 'ant-2::anthropic/claude-sonnet-4-5']);
    expect(resolved.candidates[0]).toMatchObject({
      modelName: 'anthropic/claude-sonnet-4-5',
      provider: 'anthropic',
      upstreamModel: 'claude-sonnet-4-5',
      params: { model: 'anthropic/claude-sonnet-4-5', api_key: 'sk-ant-1' },
    });
  });

  it('leaves the configured wildcard deployment untouched', () => {
    groups.resolve('anthropic/claude-haiku-4-5');
    expect(groups.deploymentById('ant-1')).toMatchObject({ modelName: 'anthropic/*', upstreamModel: '*', params: { model: 'anthropic/*' } });
  });

  it('prefers the most specific pattern, whatever the config order', () => {
    expect(ids(groups.resolve('openai/gpt-4o-mini'))).toEqual(['gpt4::openai/gpt-4o-mini']);
    expect(ids(groups.resolve('openai/o3'))).toEqual(['oai::openai/o3']);
    expect(ids(groups.resolve('mistral-large'))).toEqual(['any::openai/mistral-large']);
  });

  it('keeps deployment settings such as api_base on derived deployments', () => {
    expect(hit(groups.resolve('openai/gpt-4.1')).candidates[0]).toMatchObject({ displayApiBase: 'https://gpt4.example/v1', upstreamModel: 'gpt-4.1' });
  });

  it('serves an exact model_name before any wildcard', () => {
    expect(ids(groups.resolve('gpt-4o'))).toEqual(['exact']);
  });

  it('uses a wildcard deployment with a fixed model as it is, under the requested name', () => {
    const [deployment] = hit(groups.resolve('team/anything')).candidates;
    expect(deployment).toMatchObject({ id: 'fixed', modelName: 'team/anything', upstreamModel: 'fixed' });
  });

  it('takes the provider from the requested name when the deployment model is only a wildcard', () => {
    const catchAll = groupsOf([entry('*', { model: '*' }, { id: 'star' })]);
    expect(hit(catchAll.resolve('anthropic/claude-x')).candidates[0]).toMatchObject({ id: 'star::anthropic/claude-x', provider: 'anthropic', upstreamModel: 'claude-x' });
    expect(hit(catchAll.resolve('gpt-4o')).candidates[0]).toMatchObject({ provider: 'openai', upstreamModel: 'gpt-4o' });
    expect(miss(catchAll.resolve('nosuch/model'))).toMatchObject({
      kind: 'unknown_model',
      message: 'model "nosuch/model" matches the wildcard group "*", but it would be sent as "nosuch/model", which names no known provider and model',
    });
  });

  it('reuses derived deployments and finds them by id', () => {
    const first = hit(groups.resolve('anthropic/claude-opus-4-5')).candidates[0];
    expect(hit(groups.resolve('anthropic/claude-opus-4-5')).candidates[0]).toBe(first);
    expect(groups.deploymentById('ant-1::anthropic/claude-opus-4-5')).toBe(first);
  });

  it('keeps at most derivedCacheSize derived deployments, dropping one not used since it was added', () => {
    const small = groupsOf([entry('anthropic/*', { model: 'anthropic/*' }, { id: 'ant' })], {}, { derivedCacheSize: 2 });
    const a = hit(small.resolve('anthropic/a')).candidates[0];
    const b = hit(small.resolve('anthropic/b')).candidates[0];
    expect(hit(small.resolve('anthropic/a')).candidates[0]).toBe(a);
    small.resolve('anthropic/c');
    expect(small.deploymentById('ant::anthropic/b')).toBeUndefined();
    expect(small.deploymentById('ant::anthropic/a')).toBe(a);
    const bAgain = hit(small.resolve('anthropic/b')).candidates[0];
    expect(bAgain).not.toBe(b);
    expect(bAgain).toEqual(b);
  });

  it('explains that a wildcard name asked for literally is not a model', () => {
    const onlyAnthropic = groupsOf([entry('anthropic/*', { model: 'anthropic/*' }, { id: 'ant' })]);
    expect(miss(onlyAnthropic.resolve('anthropic/*')).message).toBe('"anthropic/*" is a wildcard group; ask for a model it covers, such as "anthropic/some-model"');
  });

  it('does not pin the id of a wildcard deployment (it has no model to call)', () => {
    const onlyAnthropic = groupsOf([entry('anthropic/*', { model: 'anthropic/*' }, { id: 'ant' })]);
    expect(miss(onlyAnthropic.resolve('ant')).kind).toBe('unknown_model');
  });
});

describe('ModelGroups.resolve: tag routing', () => {
  const model_list = [
    entry('gpt-4', { model: 'fake/free', tags: ['free'] }, { id: 'free' }),
    entry('gpt-4', { model: 'fake/paid', tags: ['paid', 'eu'] }, { id: 'paid' }),
    entry('gpt-4', { model: 'fake/default', tags: ['default'] }, { id: 'default' }),
    entry('gpt-4', { model: 'fake/untagged' }, { id: 'untagged' }),
    entry('no-default', { model: 'fake/nd-free', tags: ['free'] }, { id: 'nd-free' }),
    entry('no-default', { model: 'fake/nd-plain' }, { id: 'nd-plain' }),
  ];
  const tagged = groupsOf(model_list, { enableTagFiltering: true });

  it('ignores tags when tag filtering is off', () => {
    expect(ids(groupsOf(model_list).resolve('gpt-4', { tags: ['free'] }))).toEqual(['free', 'paid', 'default', 'untagged']);
  });

  it('sends a tagged request to the deployments carrying any of its tags', () => {
    expect(ids(tagged.resolve('gpt-4', { tags: ['free'] }))).toEqual(['free']);
    expect(ids(tagged.resolve('gpt-4', { tags: ['eu', 'free'] }))).toEqual(['free', 'paid']);
  });

  it('requires every tag when tag_filtering_match_any is false', () => {
    const strict = groupsOf(model_list, { enableTagFiltering: true, tagFilteringMatchAny: false });
    expect(ids(strict.resolve('gpt-4', { tags: ['paid', 'eu'] }))).toEqual(['paid']);
    expect(miss(strict.resolve('gpt-4', { tags: ['paid', 'us'] }))).toMatchObject({ kind: 'no_tag_match', group: 'gpt-4', tags: ['paid', 'us'] });
  });

  it("sends a request whose tags no deployment carries to the group's default deployments", () => {
    expect(ids(tagged.resolve('gpt-4', { tags: ['enterprise'] }))).toEqual(['default']);
  });

  it('is a miss explaining the tags when nothing matches and the group has no default deployment', () => {
    expect(miss(tagged.resolve('no-default', { tags: ['paid'] }))).toEqual({
      ok: false,
      kind: 'no_tag_match',
      requested: 'no-default',
      group: 'no-default',
      tags: ['paid'],
      message:
        'No deployment of model group "no-default" serves this request\'s tags ["paid"]: a deployment needs one of them in its ' +
        'litellm_params.tags, or the tag "default" to take requests no other deployment\'s tags claim.',
    });
  });

  it('sends an untagged request to the default deployments, or to all when the group has none', () => {
    expect(ids(tagged.resolve('gpt-4'))).toEqual(['default']);
    expect(ids(tagged.resolve('gpt-4', { tags: [] }))).toEqual(['default']);
    expect(ids(tagged.resolve('no-default'))).toEqual(['nd-free', 'nd-plain']);
  });

  it('ignores empty and repeated tags', () => {
    expect(ids(tagged.resolve('gpt-4', { tags: ['', 'free', 'free'] }))).toEqual(['free']);
    expect(ids(tagged.resolve('gpt-4', { tags: [''] }))).toEqual(['default']);
  });

  it('filters wildcard groups and aliases too, but not a deployment named by id', () => {
    const wildcard = groupsOf(
      [
        entry('anthropic/*', { model: 'anthropic/*', tags: ['team-a'] }, { id: 'ant-a' }),
        entry('anthropic/*', { model: 'anthropic/*', tags: ['team-b'] }, { id: 'ant-b' }),
      ],
      { enableTagFiltering: true, modelGroupAlias: { claude: alias('anthropic/claude-x') } },
    );
    expect(ids(wildcard.resolve('anthropic/claude-x', { tags: ['team-b'] }))).toEqual(['ant-b::anthropic/claude-x']);
    expect(ids(wildcard.resolve('claude', { tags: ['team-a'] }))).toEqual(['ant-a::anthropic/claude-x']);
    expect(ids(tagged.resolve('paid', { tags: ['free'] }))).toEqual(['paid']);
  });
});

describe('ModelGroups.resolve: pre-call checks (context window)', () => {
  const model_list = [
    entry('chat', { model: 'fake/small' }, { id: 'small', max_input_tokens: 4000 }),
    entry('chat', { model: 'fake/large' }, { id: 'large', max_input_tokens: 16000 }),
    entry('chat', { model: 'fake/unknown' }, { id: 'unknown' }),
    entry('known', { model: 'fake/small-only' }, { id: 'small-only', max_input_tokens: 4000 }),
    entry('known', { model: 'fake/mid-only' }, { id: 'mid-only', max_input_tokens: 8000 }),
  ];
  const checked = groupsOf(model_list, { enablePreCallChecks: true });

  it('does nothing when enable_pre_call_checks is off', () => {
    expect(ids(groupsOf(model_list).resolve('known', { inputTokens: 1_000_000 }))).toEqual(['small-only', 'mid-only']);
  });

  it('drops deployments whose model_info.max_input_tokens is smaller than the prompt, keeping unknown ones', () => {
    expect(ids(checked.resolve('chat', { inputTokens: 5000 }))).toEqual(['large', 'unknown']);
    expect(ids(checked.resolve('chat', { inputTokens: 4000 }))).toEqual(['small', 'large', 'unknown']);
  });

  it('skips the check when the prompt size is not given', () => {
    expect(ids(checked.resolve('known'))).toEqual(['small-only', 'mid-only']);
    expect(ids(checked.resolve('known', { inputTokens: 0 }))).toEqual(['small-only', 'mid-only']);
  });

  it('is a context-window miss when every deployment is too small', () => {
    expect(miss(checked.resolve('known', { inputTokens: 9000 }))).toEqual({
      ok: false,
      kind: 'context_window_exceeded',
      requested: 'known',
      group: 'known',
      inputTokens: 9000,
      largestContextWindow: 8000,
      message:
        'The prompt (about 9000 tokens) is larger than the context window of every deployment of model group "known" (largest: 8000 tokens). ' +
        'Shorten it, or configure context_window_fallbacks.',
    });
  });

  it("reads the pricing catalog's context window when model_info has none, model_info winning", () => {
    const options = { contextWindows: catalogContextWindows(new PricingCatalog()) };
    const catalogGroups = groupsOf(
      [
        entry('gpt', { model: 'openai/gpt-4o', api_key: 'sk-x' }, { id: 'catalog-window' }),
        entry('gpt', { model: 'openai/gpt-4o', api_key: 'sk-y' }, { id: 'configured-window', max_input_tokens: 200_000 }),
      ],
      { enablePreCallChecks: true },
      options,
    );
    expect(ids(catalogGroups.resolve('gpt', { inputTokens: 128_000 }))).toEqual(['catalog-window', 'configured-window']);
    expect(ids(catalogGroups.resolve('gpt', { inputTokens: 128_001 }))).toEqual(['configured-window']);
  });

  it('checks wildcard-derived deployments against the requested model', () => {
    const options = { contextWindows: catalogContextWindows(new PricingCatalog()) };
    const wildcard = groupsOf([entry('openai/*', { model: 'openai/*', api_key: 'sk-x' }, { id: 'oai' })], { enablePreCallChecks: true }, options);
    expect(miss(wildcard.resolve('openai/gpt-4o', { inputTokens: 200_000 }))).toMatchObject({ kind: 'context_window_exceeded', largestContextWindow: 128_000 });
  });

  it('does not check a deployment named by id', () => {
    expect(ids(checked.resolve('small-only', { inputTokens: 9000 }))).toEqual(['small-only']);
  });
});

describe('ModelGroups listing', () => {
  const groups = groupsOf(
    [
      entry('zeta', { model: 'fake/z' }, { id: 'z' }),
      entry('anthropic/*', { model: 'anthropic/*' }, { id: 'ant' }),
      entry('alpha', { model: 'fake/a1' }, { id: 'a1' }),
      entry('alpha', { model: 'fake/a2' }, { id: 'a2' }),
    ],
    { modelGroupAlias: { 'gpt-4': alias('alpha'), secret: alias('zeta', true) } },
  );

  it('lists model names (wildcards as configured) and visible aliases, sorted, each once', () => {
    expect(groups.visibleModelNames()).toEqual(['alpha', 'anthropic/*', 'gpt-4', 'zeta']);
  });

  it('has() is true for listed names and for anything resolvable, hidden aliases included', () => {
    for (const name of ['alpha', 'anthropic/*', 'gpt-4', 'secret', 'anthropic/claude-x', 'a2']) expect(groups.has(name), name).toBe(true);
    expect(groups.has('nope')).toBe(false);
  });

  it('returns the deployments of a model_name, wildcard names included, and every deployment', () => {
    expect(groups.deployments('alpha').map((d) => d.id)).toEqual(['a1', 'a2']);
    expect(groups.deployments('anthropic/*').map((d) => d.id)).toEqual(['ant']);
    expect(groups.deployments('nope')).toEqual([]);
    expect(groups.allDeployments().map((d) => d.id)).toEqual(['z', 'ant', 'a1', 'a2']);
  });
});
