import { describe, expect, it } from 'vitest';
import { extractApiKey } from './api-key-extractor';

describe('extractApiKey', () => {
  it.each(['Bearer sk-1', 'bearer sk-1', 'BEARER sk-1', '  Bearer   sk-1  '])('reads the key from "Authorization: %s"', (value) => {
    expect(extractApiKey({ authorization: value })).toBe('sk-1');
  });

  it.each(['x-api-key', 'api-key', 'x-litellm-api-key'])('reads the key from the %s header', (name) => {
    expect(extractApiKey({ [name]: 'sk-2' })).toBe('sk-2');
  });

  it.each(['x-api-key', 'api-key', 'x-litellm-api-key'])('strips a "Bearer " prefix sent inside %s', (name) => {
    expect(extractApiKey({ [name]: 'Bearer sk-3' })).toBe('sk-3');
    expect(extractApiKey({ [name]: 'bearer  sk-3 ' })).toBe('sk-3');
  });

  it('takes the first value of a repeated header', () => {
    expect(extractApiKey({ 'x-api-key': ['sk-first', 'sk-second'] })).toBe('sk-first');
    expect(extractApiKey({ authorization: ['Bearer sk-a', 'Bearer sk-b'] })).toBe('sk-a');
  });

  it('prefers Authorization over the other headers', () => {
    expect(extractApiKey({ authorization: 'Bearer from-auth', 'x-api-key': 'from-x-api-key', 'api-key': 'from-api-key' })).toBe('from-auth');
  });

  it('falls back to the other headers when Authorization is not a Bearer credential', () => {
    expect(extractApiKey({ authorization: 'Basic dXNlcjpwYXNz', 'api-key': 'sk-azure' })).toBe('sk-azure');
    expect(extractApiKey({ authorization: 'Bearer ', 'x-api-key': 'sk-x' })).toBe('sk-x');
  });

  it.each([
    ['no headers', {}],
    ['unrelated headers', { 'content-type': 'application/json', cookie: 'a=b' }],
    ['a non-Bearer Authorization only', { authorization: 'Basic abc' }],
    ['blank key headers', { 'x-api-key': '   ', 'api-key': '', authorization: 'Bearer' }],
    ['an empty array', { 'x-api-key': [] }],
  ])('returns undefined for %s', (_, headers) => {
    expect(extractApiKey(headers)).toBeUndefined();
  });
});
