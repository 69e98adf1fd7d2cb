import { describe, expect, it } from 'vitest';
import { envReferenceName, resolveEnvReferences } from './env-references';

describe('resolveEnvReferences', () => {
  const env = { API_KEY: 'sk-secret', PORT: '6379', EMPTY: '' };

  it('replaces references at any depth, inside lists and mappings', () => {
    const { value, unset } = resolveEnvReferences(
      {
        top: 'os.environ/API_KEY',
        nested: { deeper: { key: 'os.environ/API_KEY' } },
        list: ['plain', 'os.environ/PORT', [{ inner: 'os.environ/API_KEY' }]],
      },
      env,
    );
    expect(value).toEqual({
      top: 'sk-secret',
      nested: { deeper: { key: 'sk-secret' } },
      list: ['plain', '6379', [{ inner: 'sk-secret' }]],
    });
    expect(unset).toEqual([]);
  });

  it('removes mapping keys whose variable is unset and reports where', () => {
    const { value, unset } = resolveEnvReferences({ a: { key: 'os.environ/MISSING', keep: 1 } }, env);
    expect(value).toEqual({ a: { keep: 1 } });
    expect(unset).toEqual([{ path: 'a.key', variable: 'MISSING' }]);
  });

  it('turns an unset reference inside a list into null so other items keep their positions', () => {
    const { value, unset } = resolveEnvReferences({ nodes: [['host', 'os.environ/MISSING_PORT'], 'os.environ/PORT'] }, env);
    expect(value).toEqual({ nodes: [['host', null], '6379'] });
    expect(unset).toEqual([{ path: 'nodes[0][1]', variable: 'MISSING_PORT' }]);
  });

  it('keeps a variable that is set to the empty string', () => {
    expect(resolveEnvReferences({ a: 'os.environ/EMPTY' }, env).value).toEqual({ a: '' });
  });

  it('leaves strings that only contain the prefix later on, and non-strings, untouched', () => {
    const input = { a: 'Bearer os.environ/API_KEY', b: 3, c: true, d: null };
    expect(resolveEnvReferences(input, env).value).toEqual(input);
  });

  it('quotes keys that are not plain identifiers in reported paths', () => {
    const { unset } = resolveEnvReferences({ headers: { 'x.api key': 'os.environ/NOPE' } }, env);
    expect(unset).toEqual([{ path: 'headers["x.api key"]', variable: 'NOPE' }]);
  });
});

describe('envReferenceName', () => {
  it('reads the variable name of a reference and nothing else', () => {
    expect(envReferenceName('os.environ/OPENAI_API_KEY')).toBe('OPENAI_API_KEY');
    expect(envReferenceName('sk-123')).toBeUndefined();
    expect(envReferenceName(42)).toBeUndefined();
  });
});
