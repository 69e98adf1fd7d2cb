import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Compares presented keys with the master key in constant time. Both sides are hashed first so the
 * comparison takes the same time whatever the presented key's length.
 */
export class MasterKey {
  private readonly digest: Buffer;

  constructor(masterKey: string) {
    this.digest = sha256(masterKey);
  }

  matches(presented: string): boolean {
    return this.matchesDigest(keyDigest(presented));
  }

  /** Same as `matches`, given the presented key's `keyDigest` (the caller also needs it for the key's hash). */
  matchesDigest(presentedDigest: Buffer): boolean {
    return timingSafeEqual(this.digest, presentedDigest);
  }
}

function sha256(value: string): Buffer {
  // One-shot: no Hash object per request (about 4x faster than createHash for a key's length).
  return hash('sha256', value, 'buffer');
}

/** SHA-256 of a key as bytes; its hex form is `hashApiKey`. */
export function keyDigest(key: string): Buffer {
  return sha256(key);
}

/** SHA-256 hex of a key: how keys are stored and logged, never in the clear. */
export function hashApiKey(key: string): string {
  return keyDigest(key).toString('hex');
}
