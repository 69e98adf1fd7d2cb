import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, problemsOf, useTempConfigFolder } from '../test/temp-config';
import { loadConfig } from './load-config';

const folder = useTempConfigFolder();

/** Loads a one-deployment config whose litellm_params are given as a YAML flow mapping. */
function loadParams(params: string, extra = '') {
  const file = folder.write(`params-${Math.random().toString(36).slice(2)}.yaml`, `model_list:\n  - model_name: m\n    litellm_params: ${params}\n${extra}`);
  return { file, load: () => loadConfig(file, { env: { NUM: '30', KEY: 'sk-env' } }) };
}

function onlyProblem(params: string): string {
  const { file, load } = loadParams(params);
  const problems = problemsOf(load);
  expect(problems).toHaveLength(1);
  return (problems[0] ?? '').slice(file.length + 2);
}

describe('model_list', () => {
  it('must be a list', () => {
    const file = path.join(FIXTURES_DIR, 'invalid', 'model-list-not-a-list.yaml');
    expect(problemsOf(() => loadConfig(file, { env: {} }))).toEqual([`${file}: model_list: expected a list of deployments, got a mapping`]);
  });

  it('reads deployments with model_info defaulting to {} and extra provider params kept as they are', () => {
    const { load } = loadParams('{model: openai/gpt-4o, temperature: 0.2, extra_headers: {X-Team: a}, organization: org-1}');
    const [deployment] = load().model_list;
    expect(deployment).toEqual({
      model_name: 'm',
      litellm_params: { model: 'openai/gpt-4o', temperature: 0.2, extra_headers: { 'X-Team': 'a' }, organization: 'org-1' },
      model_info: {},
    });
  });

  it('requires litellm_params, and model inside it', () => {
    const file = path.join(FIXTURES_DIR, 'invalid', 'missing-litellm-params.yaml');
    expect(problemsOf(() => loadConfig(file, { env: {} }))).toEqual([
      `${file}: model_list[0].litellm_params: missing; expected a mapping with at least model (a string like "openai/gpt-4o")`,
      `${file}: model_list[1].litellm_params.model: missing; expected a string like "openai/gpt-4o"`,
    ]);
  });

  it('requires model_name to be a non-empty string', () => {
    const file = folder.write('no-name.yaml', 'model_list:\n  - litellm_params: {model: openai/a}\n  - model_name: 7\n    litellm_params: {model: openai/a}\n');
    expect(problemsOf(() => loadConfig(file, { env: {} }))).toEqual([
      `${file}: model_list[0].model_name: missing; expected a non-empty string (the model name clients send)`,
      `${file}: model_list[1].model_name: expected a non-empty string (the model name clients send), got 7`,
    ]);
  });

  it('rejects entries that are not mappings', () => {
    const file = folder.write('scalar-entry.yaml', 'model_list:\n  - gpt-4o\n');
    expect(problemsOf(() => loadConfig(file, { env: {} }))).toEqual([
      `${file}: model_list[0]: expected a deployment mapping with model_name and litellm_params, got "gpt-4o"`,
    ]);
  });

  it('rejects litellm_params that is not a mapping', () => {
    expect(onlyProblem('openai/gpt-4o')).toBe(
      'model_list[0].litellm_params: expected a mapping with at least model (a string like "openai/gpt-4o"), got "openai/gpt-4o"',
    );
  });
});

describe('litellm_params fields', () => {
  it('model must be a non-empty string', () => {
    expect(onlyProblem('{model: 42}')).toBe('model_list[0].litellm_params.model: expected a string like "openai/gpt-4o", got 42');
    expect(onlyProblem('{model: ""}')).toBe('model_list[0].litellm_params.model: expected a string like "openai/gpt-4o", got ""');
  });

  it('accepts wildcard models', () => {
    expect(loadParams('{model: "openai/*"}').load().model_list[0]?.litellm_params.model).toBe('openai/*');
  });

  it('api_base must be an http or https URL', () => {
    expect(loadParams('{model: openai/a, api_base: "http://localhost:8000/v1"}').load().model_list[0]?.litellm_params.api_base).toBe('http://localhost:8000/v1');
    expect(onlyProblem('{model: openai/a, api_base: "localhost:8000"}')).toBe(
      'model_list[0].litellm_params.api_base: expected an http(s) URL like "https://api.openai.com/v1", got "localhost:8000"',
    );
  });

  it('api_key and api_version must be strings; the key is never shown', () => {
    expect(loadParams('{model: openai/a, api_key: os.environ/KEY, api_version: "2024-10-21"}').load().model_list[0]?.litellm_params).toMatchObject({
      api_key: 'sk-env',
      api_version: '2024-10-21',
    });
    expect(onlyProblem('{model: openai/a, api_key: 123456789}')).toBe('model_list[0].litellm_params.api_key: expected a string, got a number');
    expect(onlyProblem('{model: openai/a, api_version: [1]}')).toBe(
      'model_list[0].litellm_params.api_version: expected a string like "2024-10-21", got a list',
    );
  });

  it('timeout and stream_timeout must be positive numbers; numeric strings are coerced', () => {
    const params = loadParams('{model: openai/a, timeout: "45.5", stream_timeout: os.environ/NUM}').load().model_list[0]?.litellm_params;
    expect(params?.timeout).toBe(45.5);
    expect(params?.stream_timeout).toBe(30);
    expect(onlyProblem('{model: openai/a, timeout: 0}')).toBe('model_list[0].litellm_params.timeout: expected a positive number of seconds, got 0');
    expect(onlyProblem('{model: openai/a, stream_timeout: soon}')).toBe(
      'model_list[0].litellm_params.stream_timeout: expected a positive number of seconds, got "soon"',
    );
  });

  it('rpm, tpm, weight and max_retries must be numbers of 0 or more', () => {
    const params = loadParams('{model: openai/a, rpm: "60", tpm: 0, weight: 2.5, max_retries: 3}').load().model_list[0]?.litellm_params;
    expect(params).toMatchObject({ rpm: 60, tpm: 0, weight: 2.5, max_retries: 3 });
    for (const key of ['rpm', 'tpm', 'weight', 'max_retries']) {
      expect(onlyProblem(`{model: openai/a, ${key}: -1}`)).toBe(`model_list[0].litellm_params.${key}: expected a number of 0 or more, got -1`);
    }
    expect(onlyProblem('{model: openai/a, rpm: "12abc"}')).toBe('model_list[0].litellm_params.rpm: expected a number of 0 or more, got "12abc"');
  });
});

describe('model_info', () => {
  it('is optional; id must be a string, an unquoted number reads as its string', () => {
    const { load } = loadParams('{model: openai/a}', '    model_info: {id: 17, mode: chat}\n');
    expect(load().model_list[0]?.model_info).toEqual({ id: '17', mode: 'chat' });
    const { file, load: loadBad } = loadParams('{model: openai/a}', '    model_info: {id: [x]}\n');
    expect(problemsOf(loadBad)).toEqual([`${file}: model_list[0].model_info.id: expected a non-empty string (a unique deployment id), got a list`]);
  });

  it('must be a mapping', () => {
    const { file, load } = loadParams('{model: openai/a}', '    model_info: chat\n');
    expect(problemsOf(load)).toEqual([`${file}: model_list[0].model_info: expected a mapping, got "chat"`]);
  });

  it('ids must be unique across deployments', () => {
    const file = folder.write(
      'dup-ids.yaml',
      'model_list:\n' +
        '  - {model_name: a, litellm_params: {model: openai/a}, model_info: {id: one}}\n' +
        '  - {model_name: b, litellm_params: {model: openai/b}, model_info: {id: two}}\n' +
        '  - {model_name: c, litellm_params: {model: openai/c}, model_info: {id: 1}}\n' +
        '  - {model_name: d, litellm_params: {model: openai/d}, model_info: {id: "1"}}\n' +
        '  - {model_name: e, litellm_params: {model: openai/e}, model_info: {id: one}}\n',
    );
    expect(problemsOf(() => loadConfig(file, { env: {} }))).toEqual([
      `${file}: model_list[3].model_info.id: duplicate deployment id "1"; model_list[2].model_info.id already uses it (ids must be unique)`,
      `${file}: model_list[4].model_info.id: duplicate deployment id "one"; model_list[0].model_info.id already uses it (ids must be unique)`,
    ]);
  });
});
