/**
 * Argument checks shared by every store, so that a caller gets the same error from the in-memory store in
 * development as from Redis in production, instead of discovering a bad TTL only once Redis is configured.
 */

/** Validates a TTL and rounds it up to whole milliseconds (Redis PX only takes integers). */
export function checkTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

export function checkIntegerStep(by: number): number {
  if (!Number.isSafeInteger(by)) {
    throw new RangeError(`increment step must be a safe integer, got ${by}; use incrementFloat for decimals`);
  }
  return by;
}

export function checkFloatStep(by: number): number {
  if (!Number.isFinite(by)) {
    throw new RangeError(`incrementFloat step must be a finite number, got ${by}`);
  }
  return by;
}
