import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigProblem } from './config-error';

describe('formatConfigProblem', () => {
  it('names the file, the path inside it and the message', () => {
    expect(formatConfigProblem('config.yaml', 'model_list[2].litellm_params.model', 'expected a string like "openai/gpt-4o", got 42')).toBe(
      'config.yaml: model_list[2].litellm_params.model: expected a string like "openai/gpt-4o", got 42',
    );
  });

  it('leaves the path out when the problem concerns the whole file', () => {
    expect(formatConfigProblem('config.yaml', '', 'config file not found')).toBe('config.yaml: config file not found');
  });

  it('uses a generic label when there is no file', () => {
    expect(formatConfigProblem(undefined, 'PORT', 'bad')).toBe('configuration: PORT: bad');
  });
});

describe('ConfigError', () => {
  it('keeps the problems and puts one per line in its message', () => {
    const error = new ConfigError(['a.yaml: x: one', 'a.yaml: y: two']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.problems).toEqual(['a.yaml: x: one', 'a.yaml: y: two']);
    expect(error.message.split('\n')).toEqual(['a.yaml: x: one', 'a.yaml: y: two']);
  });
});
