import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, problemsOf, useTempConfigFolder } from '../test/temp-config';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const folder = useTempConfigFolder();
const invalid = (name: string) => path.join(FIXTURES_DIR, 'invalid', name);

describe('loadConfig: the file', () => {
  it('loads an empty configuration when no file is given, still resolving runtime settings', () => {
    const config = loadConfig(undefined, { env: { PORT: '8080' } });
    expect(config.model_list).toEqual([]);
    expect(config.sourceFile).toBeUndefined();
    expect(config.runtime.port).toBe(8080);
    expect(config.unusedKeys).toEqual([]);
    expect(config.warnings).toEqual([]);
  });

  it('records the absolute path of the file it read', () => {
    const file = folder.write('abs.yaml', 'model_list: []\n');
    expect(loadConfig(path.relative(process.cwd(), file), { env: {} }).sourceFile).toBe(file);
  });

  it('treats an empty file like a file with empty sections', () => {
    const file = folder.write('empty.yaml', '# nothing yet\n');
    const config = loadConfig(file, { env: {} });
    expect(config.model_list).toEqual([]);
    expect(config.general_settings).toEqual({});
  });

  it('names the path when the file does not exist', () => {
    const problems = problemsOf(() => loadConfig('does/not/exist.yaml', { env: {} }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^does\/not\/exist\.yaml: config file not found \(looked for .*does\/not\/exist\.yaml\)$/);
  });

  it('throws a ConfigError instance', () => {
    expect(() => loadConfig('missing.yaml', { env: {} })).toThrow(ConfigError);
  });

  it('reports YAML syntax errors with line and column, without quoting the source line', () => {
    const file = invalid('syntax-error.yaml');
    const problems = problemsOf(() => loadConfig(file, { env: {} }));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`^${escape(file)}: line \\d+, column \\d+: invalid YAML: `));
    expect(problems.join('\n')).not.toContain('sk-should-not-be-echoed');
  });

  it('rejects a document that is not a mapping of sections', () => {
    const file = invalid('top-level-list.yaml');
    expect(problemsOf(() => loadConfig(file, { env: {} }))).toEqual([
      `${file}: expected a mapping with sections such as model_list and general_settings at the top level, got a list`,
    ]);
  });

  it('keeps the last value of a repeated key and supports merge keys, as LiteLLM (PyYAML) does', () => {
    const file = folder.write(
      'pyyaml.yaml',
      [
        'defaults: &defaults',
        '  api_key: sk-shared',
        '  rpm: 10',
        'model_list:',
        '  - model_name: a',
        '    litellm_params:',
        '      <<: *defaults',
        '      model: openai/a',
        'litellm_settings:',
        '  drop_params: false',
        'litellm_settings:',
        '  drop_params: true',
      ].join('\n'),
    );
    const config = loadConfig(file, { env: {} });
    expect(config.model_list[0]?.litellm_params).toEqual({ model: 'openai/a', api_key: 'sk-shared', rpm: 10 });
    expect(config.litellm_settings.drop_params).toBe(true);
  });
});

describe('loadConfig: sections', () => {
  it('rejects sections of the wrong kind, reporting every one', () => {
    const file = invalid('wrong-section-types.yaml');
    expect(problemsOf(() => loadConfig(file, { env: {} }))).toEqual([
      `${file}: environment_variables: expected a mapping of NAME: value, got a list`,
      `${file}: general_settings: expected a mapping of key: value pairs, got a list`,
      `${file}: litellm_settings: expected a mapping of key: value pairs, got 3`,
      `${file}: router_settings: expected a mapping of key: value pairs, got "redis"`,
    ]);
  });

  it('accepts other top-level sections and keeps them, with references resolved', () => {
    const file = folder.write(
      'other.yaml',
      ['guardrails:', '  - guardrail_name: pii', '    litellm_params: {api_key: os.environ/G_KEY}', 'mcp_servers: {}', 'callback_settings: {otel: {message_logging: false}}'].join('\n'),
    );
    const config = loadConfig(file, { env: { G_KEY: 'g-1' } });
    expect(config.otherSections).toEqual({
      guardrails: [{ guardrail_name: 'pii', litellm_params: { api_key: 'g-1' } }],
      mcp_servers: {},
      callback_settings: { otel: { message_logging: false } },
    });
  });

  it('treats sections written with no value (null) as empty', () => {
    const file = folder.write('nulls.yaml', 'model_list:\ngeneral_settings:\nrouter_settings:\nlitellm_settings:\nenvironment_variables:\n');
    const config = loadConfig(file, { env: {} });
    expect(config.model_list).toEqual([]);
    expect(config.router_settings).toEqual({});
    expect(config.environment_variables).toEqual({});
  });
});

describe('loadConfig: environment_variables', () => {
  it('writes entries into the env object before references are resolved', () => {
    const file = folder.write(
      'envvars.yaml',
      [
        'environment_variables:',
        '  MY_KEY: sk-from-file',
        '  REDIS_PORT: 6390',
        '  FLAG: true',
        'model_list:',
        '  - model_name: m',
        '    litellm_params: {model: openai/m, api_key: os.environ/MY_KEY}',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = { MY_KEY: 'sk-from-env' };
    const config = loadConfig(file, { env });
    expect(env).toMatchObject({ MY_KEY: 'sk-from-file', REDIS_PORT: '6390', FLAG: 'true' });
    expect(config.environment_variables).toEqual({ MY_KEY: 'sk-from-file', REDIS_PORT: '6390', FLAG: 'true' });
    expect(config.model_list[0]?.litellm_params.api_key).toBe('sk-from-file');
  });

  it('rejects entries that are lists or mappings without showing them', () => {
    const file = folder.write('envvars-bad.yaml', 'environment_variables:\n  SECRET: {nested: sk-hidden}\n');
    const problems = problemsOf(() => loadConfig(file, { env: {} }));
    expect(problems).toEqual([`${file}: environment_variables.SECRET: expected a string, number or boolean, got a mapping`]);
  });
});

describe('loadConfig: references to unset variables', () => {
  it('drops an optional setting and warns with the path and the variable name, never a value', () => {
    const file = folder.write(
      'unset-optional.yaml',
      'model_list:\n  - model_name: m\n    litellm_params: {model: openai/m, api_key: os.environ/NOT_SET_KEY}\n',
    );
    const config = loadConfig(file, { env: {} });
    expect(config.model_list[0]?.litellm_params).toEqual({ model: 'openai/m' });
    expect(config.warnings).toEqual([
      `${file}: model_list[0].litellm_params.api_key: environment variable NOT_SET_KEY (from os.environ/NOT_SET_KEY) is not set; the setting was left out`,
    ]);
  });

  it('warns about list items that became null', () => {
    const file = folder.write('unset-list.yaml', 'litellm_settings:\n  callbacks: [langfuse, os.environ/CB_NAME]\n');
    const config = loadConfig(file, { env: {} });
    expect(config.litellm_settings.callbacks).toEqual(['langfuse', null]);
    expect(config.warnings).toEqual([
      `${file}: litellm_settings.callbacks[1]: environment variable CB_NAME (from os.environ/CB_NAME) is not set; the list item is null`,
    ]);
  });

  it('makes it a problem when the reference was a required field', () => {
    const file = folder.write('unset-required.yaml', 'model_list:\n  - model_name: m\n    litellm_params: {model: os.environ/MODEL_ID}\n');
    const problems = problemsOf(() => loadConfig(file, { env: {} }));
    expect(problems).toEqual([
      `${file}: model_list[0].litellm_params.model: environment variable MODEL_ID (from os.environ/MODEL_ID) is not set; expected a string like "openai/gpt-4o"`,
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
