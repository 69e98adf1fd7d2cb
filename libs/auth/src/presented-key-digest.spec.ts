import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PresentedKeyDigests } from './presented-key-digest';

const sha256Hex = (key: string) => createHash('sha256').update(key).digest('hex');

describe('PresentedKeyDigests', () => {
  it('gives the SHA-256 of the key, as bytes and as the hex virtual keys are stored under', () => {
    const digests = new PresentedKeyDigests();
    const digest = digests.of('sk-test-key');
    expect(digest.hex).toBe(sha256Hex('sk-test-key'));
    expect(digest.bytes.toString('hex')).toBe(digest.hex);
  });

  it('answers a key seen recently from memory, and forgets one not used since beyond its capacity', () => {
    const digests = new PresentedKeyDigests(2);
    const first = digests.of('sk-a');
    const second = digests.of('sk-b');
    expect(digests.of('sk-b')).toBe(second); // the same object: not hashed again
    digests.of('sk-c'); // evicts sk-a, the oldest not used since it was added
    const again = digests.of('sk-a');
    expect(again).not.toBe(first);
    expect(again.hex).toBe(first.hex);
  });
});
