import { describe, expect, it } from 'vitest';
import { upstreamTarget } from './upstream-target';

describe('upstreamTarget', () => {
  it('splits origin and path with the query, dropping default ports and fragments', () => {
    expect(upstreamTarget('https://api.example.com:443/v1/chat/completions')).toEqual({ origin: 'https://api.example.com', path: '/v1/chat/completions' });
    expect(upstreamTarget('http://127.0.0.1:8080/openai/deployments/d/chat/completions?api-version=2024-10-21#x')).toEqual({
      origin: 'http://127.0.0.1:8080',
      path: '/openai/deployments/d/chat/completions?api-version=2024-10-21',
    });
    expect(upstreamTarget('http://[::1]:9000')).toEqual({ origin: 'http://[::1]:9000', path: '/' });
  });

  it('keeps credentials out of the origin', () => {
    expect(upstreamTarget('https://user:secret@host.example/v1')).toEqual({ origin: 'https://host.example', path: '/v1' });
  });

  it('returns the same object for the same URL, and null for what is not an http(s) URL', () => {
    const url = 'http://memo.example/v1/embeddings';
    expect(upstreamTarget(url)).toBe(upstreamTarget(url));
    expect(upstreamTarget('not a url')).toBeNull();
    expect(upstreamTarget('ftp://files.example/x')).toBeNull();
  });
});
