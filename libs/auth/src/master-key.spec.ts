import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashApiKey, keyDigest, MasterKey } from './master-key';

describe('MasterKey.matches', () => {
  const master = new MasterKey('sk-master-1234');

  it('accepts the exact key', () => {
    expect(master.matches('sk-master-1234')).toBe(true);
  });

  it.each([
    ['a prefix', 'sk-master-123'],
    ['a longer key starting with it', 'sk-master-12345'],
    ['a suffix', 'master-1234'],
    ['a different key of the same length', 'sk-master-1235'],
    ['different case', 'SK-MASTER-1234'],
    ['surrounding whitespace', ' sk-master-1234'],
    ['the empty string', ''],
  ])('refuses %s', (_, presented) => {
    expect(master.matches(presented)).toBe(false);
  });

  it('compares non-ASCII keys by their UTF-8 bytes', () => {
    const key = new MasterKey('clé-🔑');
    expect(key.matches('clé-🔑')).toBe(true);
    expect(key.matches('cle-🔑')).toBe(false);
  });
});

describe('keyDigest', () => {
  it('is the bytes whose hex is hashApiKey, and what matchesDigest compares', () => {
    expect(keyDigest('sk-1234').toString('hex')).toBe(hashApiKey('sk-1234'));
    const master = new MasterKey('sk-master-1234');
    expect(master.matchesDigest(keyDigest('sk-master-1234'))).toBe(true);
    expect(master.matchesDigest(keyDigest('sk-master-1235'))).toBe(false);
  });
});

describe('hashApiKey', () => {
  it('is the SHA-256 hex digest of the key', () => {
    // Known vector: sha256("abc").
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashApiKey('sk-1234')).toBe(createHash('sha256').update('sk-1234').digest('hex'));
  });

  it('gives different keys different hashes and never contains the key', () => {
    expect(hashApiKey('sk-a')).not.toBe(hashApiKey('sk-b'));
    expect(hashApiKey('sk-secret')).not.toContain('sk-secret');
    expect(hashApiKey('sk-secret')).toMatch(/^[0-9a-f]{64}$/);
  });
});
