import { randomBytes } from 'node:crypto';
import { hashApiKey } from '@tollgate/auth';
import { badRequest } from '@tollgate/common';

export const KEY_PREFIX = 'sk-';
const MAX_CUSTOM_KEY_LENGTH = 256;
/** Printable ASCII without spaces: anything else would not survive an `Authorization` header intact. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** A new virtual key: `sk-` and 32 URL-safe characters from 24 random bytes (192 bits). */
export function generateKeyValue(): string {
  return KEY_PREFIX + randomBytes(24).toString('base64url');
}

/** A key chosen by the caller (`key` on generate, `new_key` on regenerate): 400 naming `field` when unusable. */
export function checkCustomKey(key: string, field: string): void {
  if (!key.startsWith(KEY_PREFIX) || key.length <= KEY_PREFIX.length) {
    throw badRequest(`"${field}" must start with "${KEY_PREFIX}" followed by at least one character.`, field);
  }
  if (key.length > MAX_CUSTOM_KEY_LENGTH || !HEADER_SAFE.test(key)) {
    throw badRequest(`"${field}" must be at most ${MAX_CUSTOM_KEY_LENGTH} printable ASCII characters without spaces.`, field);
  }
}

/** How a key appears in listings and messages: `sk-...` and its last four characters. */
export function abbreviateKey(key: string): string {
  return `${KEY_PREFIX}...${key.slice(-4)}`;
}

/**
 * The stored hash for a key named by a caller: a key (`sk-...`) is hashed, anything else is taken to be a
 * hash already (LiteLLM accepts both wherever a key is named).
 */
export function keyHashOf(keyOrHash: string): string {
  return keyOrHash.startsWith(KEY_PREFIX) ? hashApiKey(keyOrHash) : keyOrHash;
}

/** A way to name a key in an error message without repeating a secret. */
export function keyLabel(keyOrHash: string): string {
  return keyOrHash.startsWith(KEY_PREFIX) ? abbreviateKey(keyOrHash) : keyOrHash.slice(0, 80);
}
