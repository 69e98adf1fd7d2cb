import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, problemsOf } from '../test/temp-config';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const invalid = (name: string) => path.join(FIXTURES_DIR, 'invalid', name);

describe('a config with several mistakes', () => {
  const file = invalid('multiple-problems.yaml');

  it('reports all of them in one ConfigError, one line each', () => {
    const problems = problemsOf(() => loadConfig(file, { env: {} }));
    expect(problems).toEqual([
      `${file}: model_list[0].litellm_params.api_key: expected a string, got a number`,
      `${file}: model_list[1].model_name: expected a non-empty string (the model name clients send), got ""`,
      `${file}: model_list[1].litellm_params.api_base: expected an http(s) URL like "https://api.openai.com/v1", got "not-a-url"`,
      `${file}: model_list[2].litellm_params.model: expected a string like "openai/gpt-4o", got 42`,
      `${file}: model_list[2].litellm_params.timeout: expected a positive number of seconds, got "soon"`,
      `${file}: model_list[2].litellm_params.rpm: expected a number of 0 or more, got -5`,
      `${file}: model_list[3]: expected a deployment mapping with model_name and litellm_params, got "just-a-string"`,
      `${file}: model_list[2].model_info.id: duplicate deployment id "shared-id"; model_list[0].model_info.id already uses it (ids must be unique)`,
      `${file}: general_settings.max_request_size_mb: expected a positive number of megabytes, got 0`,
      `${file}: litellm_settings.drop_params: expected true or false, got "maybe"`,
      `${file}: router_settings.redis_port: expected a whole number from 1 to 65535, got 70000`,
    ]);
  });

  it('puts the same lines in the error message', () => {
    try {
      loadConfig(file, { env: {} });
      expect.unreachable('loadConfig should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const configError = error as ConfigError;
      expect(configError.message.split('\n')).toEqual(configError.problems);
    }
  });

  it('adds environment and command-line problems to the same list', () => {
    const problems = problemsOf(() => loadConfig(file, { env: { PORT: 'eighty' } }));
    expect(problems).toHaveLength(12);
    expect(problems).toContain('environment: PORT: expected a whole number from 0 (any free port) to 65535, got "eighty"');
  });
});

describe('secrets in problem messages', () => {
  it('never shows api keys, master keys, passwords or URLs with credentials', () => {
    const file = invalid('secrets-in-wrong-place.yaml');
    const problems = problemsOf(() => loadConfig(file, { env: { REDIS_URL: 'http://:env-redis-secret@h' } }));
    expect(problems).toHaveLength(7);
    const text = problems.join('\n');
    for (const secret of ['sk-live-abcdef123456', 'hunter2secret', '998877665544', 'pg-secret-pass', 'redis-secret-pass', '424242', 'env-redis-secret']) {
      expect(text).not.toContain(secret);
    }
  });

  it('never shows the value of a variable behind a reference', () => {
    const file = invalid('missing-litellm-params.yaml');
    const config = () => loadConfig(file, { env: { OPENAI_API_KEY: 'sk-very-secret-value' } });
    expect(problemsOf(config).join('\n')).not.toContain('sk-very-secret-value');
  });
});
