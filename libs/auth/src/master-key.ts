import { createHash, timingSafeEqual } from 'node:crypto';

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
    return timingSafeEqual(this.digest, sha256(presented));
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** SHA-256 hex of a key: how keys are stored and logged, never in the clear. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
