import { describe, expect, it } from 'vitest';
import { underApiBase } from './api-base-url';

const chat = (root: string) => `${root}/chat/completions`;

describe('underApiBase', () => {
  it('appends the path to a plain base and drops trailing slashes', () => {
    expect(underApiBase('https://host/v1', chat)).toBe('https://host/v1/chat/completions');
    expect(underApiBase('https://host/v1///', chat)).toBe('https://host/v1/chat/completions');
    expect(underApiBase('https://host', chat)).toBe('https://host/chat/completions');
  });

  it('puts the path before the base query string and keeps its parameters', () => {
    expect(underApiBase('https://host/v1?tenant=a&token=x%2By', chat)).toBe('https://host/v1/chat/completions?tenant=a&token=x%2By');
    expect(underApiBase('https://host/v1/?tenant=a', chat)).toBe('https://host/v1/chat/completions?tenant=a');
  });

  it('gives the builder the base without query or fragment', () => {
    const seen: string[] = [];
    underApiBase('https://host/proxy/?k=v#frag', (root) => {
      seen.push(root);
      return root;
    });
    expect(seen).toEqual(['https://host/proxy']);
  });

  it('merges with a query the builder adds, the builder winning on a shared name', () => {
    const azure = (root: string) => `${root}/openai/deployments/d/chat/completions?api-version=2024-10-21`;
    expect(underApiBase('https://r.example?api-version=2023-01-01&sig=abc', azure)).toBe(
      'https://r.example/openai/deployments/d/chat/completions?api-version=2024-10-21&sig=abc',
    );
    expect(underApiBase('https://r.example?api%2Dversion=old', azure)).toBe('https://r.example/openai/deployments/d/chat/completions?api-version=2024-10-21');
  });

  it('ignores an empty query and empty pairs', () => {
    expect(underApiBase('https://host/v1?', chat)).toBe('https://host/v1/chat/completions');
    expect(underApiBase('https://host/v1?&a=1&&', chat)).toBe('https://host/v1/chat/completions?a=1');
  });

  it('keeps a parameter without a value', () => {
    expect(underApiBase('https://host/v1?debug', chat)).toBe('https://host/v1/chat/completions?debug');
  });
});
