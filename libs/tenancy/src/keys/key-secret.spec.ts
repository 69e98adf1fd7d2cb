import { hashApiKey } from '@tollgate/auth';
import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { abbreviateKey, checkCustomKey, generateKeyValue, keyHashOf, keyLabel } from './key-secret';

describe('generated keys', () => {
  it('are sk- and 32 URL-safe characters, different every time', () => {
    const keys = Array.from({ length: 50 }, generateKeyValue);
    for (const key of keys) expect(key).toMatch(/^sk-[A-Za-z0-9_-]{32}$/);
    expect(new Set(keys).size).toBe(50);
  });
});

describe('custom keys', () => {
  it('must start with sk- and fit in a header', () => {
    expect(() => checkCustomKey('sk-my-own-key', 'key')).not.toThrow();
    for (const bad of ['my-key', 'sk-', 'sk-has space', `sk-${'x'.repeat(300)}`, 'sk-é']) {
      const error = (() => {
        try {
          checkCustomKey(bad, 'new_key');
        } catch (err) {
          return err as GatewayError;
        }
      })();
      expect(error?.status, bad).toBe(400);
      expect(error?.options.param).toBe('new_key');
    }
  });
});

describe('naming keys', () => {
  it('abbreviates to the last four characters', () => {
    expect(abbreviateKey('sk-abcdefgh1234')).toBe('sk-...1234');
  });

  it('hashes keys and takes anything else as a hash already', () => {
    expect(keyHashOf('sk-abc')).toBe(hashApiKey('sk-abc'));
    expect(keyHashOf('f'.repeat(64))).toBe('f'.repeat(64));
  });

  it('labels keys for messages without repeating them', () => {
    expect(keyLabel('sk-secret-value-9876')).toBe('sk-...9876');
    expect(keyLabel('ab12')).toBe('ab12');
  });
});
