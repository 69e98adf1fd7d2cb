import { describe, expect, it } from 'vitest';
import { collectSecrets, redactSecrets } from './secrets';

describe('collectSecrets', () => {
  it('collects secret-like settings, header values and secret-like environment variables, longest first', () => {
    const secrets = collectSecrets(
      {
        model: 'openai/gpt',
        api_key: 'sk-param-12345678',
        aws_secret_access_key: 'aws-secret-abcdefgh',
        max_tokens: 'not-a-secret-1234',
        extra_headers: { 'x-custom-auth': 'header-secret-999' },
      },
      { OPENAI_API_KEY: 'sk-env-key-0000000000', HF_TOKEN: 'hf_tokenvalue', PATH: '/usr/bin:/bin:/usr/local/bin', SHORT_KEY: 'abc' },
    );
    expect(secrets).toEqual(
      expect.arrayContaining(['sk-param-12345678', 'aws-secret-abcdefgh', 'header-secret-999', 'sk-env-key-0000000000', 'hf_tokenvalue']),
    );
    expect(secrets).not.toContain('not-a-secret-1234');
    expect(secrets).not.toContain('/usr/bin:/bin:/usr/local/bin');
    expect(secrets).not.toContain('abc');
    expect(secrets.map((s) => s.length)).toEqual([...secrets.map((s) => s.length)].sort((a, b) => b - a));
  });

  it('also lists the private key inside JSON service-account credentials', () => {
    const credentials = JSON.stringify({ type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----\n' });
    expect(collectSecrets({ model: 'vertex_ai/gemini', vertex_credentials: credentials }, {})).toContain(
      '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----\n',
    );
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence, a longer secret before one it contains', () => {
    expect(redactSecrets('a sk-123456789 b sk-123456789-extra', ['sk-123456789-extra', 'sk-123456789'])).toBe('a [redacted] b [redacted]');
  });
});
