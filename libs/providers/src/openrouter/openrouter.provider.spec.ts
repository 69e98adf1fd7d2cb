import { describe, expect, it } from 'vitest';
import { openRouterHeaders, openRouterProvider } from './openrouter.provider';

describe('openrouter provider', () => {
  it('adds the attribution headers from OR_SITE_URL and OR_APP_NAME when set', () => {
    expect(openRouterHeaders('sk-or', {})).toEqual({ authorization: 'Bearer sk-or' });
    expect(openRouterHeaders('sk-or', { OR_SITE_URL: 'https://acme.example', OR_APP_NAME: 'Acme' })).toEqual({
      authorization: 'Bearer sk-or',
      'http-referer': 'https://acme.example',
      'x-title': 'Acme',
    });
  });

  it('calls openrouter.ai/api/v1 unless api_base says otherwise, and has no n', () => {
    expect(openRouterProvider.displayApiBase({ model: 'openrouter/x' })).toBe('https://openrouter.ai/api/v1');
    expect(openRouterProvider.displayApiBase({ model: 'openrouter/x', api_base: 'https://or.proxy/api/v1' })).toBe('https://or.proxy/api/v1');
    expect(openRouterProvider.capabilities.chatParams.has('n')).toBe(false);
  });
});
