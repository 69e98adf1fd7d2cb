import { randomBytes } from 'node:crypto';

export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL;
}

/**
 * A key prefix no other test run shares (`test:<label>:<pid>:<random>:`), so test files can use one Redis
 * in parallel and clean up with a SCAN on `<prefix>*`.
 */
export function uniquePrefix(label: string): string {
  const safeLabel = label.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'test';
  return `test:${safeLabel}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}
