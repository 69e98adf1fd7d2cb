import { describe, expect, it } from 'vitest';
import { displayUrl } from './safe-url';

describe('displayUrl', () => {
  it('keeps scheme, host, port and path', () => {
    expect(displayUrl('http://127.0.0.1:8080/v1')).toBe('http://127.0.0.1:8080/v1');
    expect(displayUrl('https://api.openai.com/v1')).toBe('https://api.openai.com/v1');
  });

  it('removes user name and password', () => {
    const shown = displayUrl('https://user:s3cret@proxy.example.com/v1');
    expect(shown).toBe('https://proxy.example.com/v1');
    expect(shown).not.toContain('s3cret');
  });

  it('removes the query string (which may carry an api-key) and the fragment', () => {
    expect(displayUrl('https://res.openai.azure.com/openai?api-key=abc&api-version=1#frag')).toBe('https://res.openai.azure.com/openai');
  });

  it('removes a trailing slash', () => {
    expect(displayUrl('https://example.com/v1/')).toBe('https://example.com/v1');
    expect(displayUrl('https://example.com')).toBe('https://example.com');
  });

  it.each([undefined, '', 'not a url', 'api.openai.com/v1', '://missing-scheme'])('returns undefined for %j', (raw) => {
    expect(displayUrl(raw)).toBeUndefined();
  });
});
