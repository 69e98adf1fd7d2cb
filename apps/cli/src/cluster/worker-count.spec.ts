import { describe, expect, it } from 'vitest';
import { resolveWorkerCount } from './worker-count';

describe('resolveWorkerCount', () => {
  it('is 1 (a single process) when neither the flag nor NUM_WORKERS is set', () => {
    expect(resolveWorkerCount(undefined, {})).toBe(1);
    expect(resolveWorkerCount(undefined, { NUM_WORKERS: ' ' })).toBe(1);
  });

  it('takes the flag over NUM_WORKERS', () => {
    expect(resolveWorkerCount('1', { NUM_WORKERS: '4' })).toBe(1);
    expect(resolveWorkerCount(undefined, { NUM_WORKERS: '4' })).toBe(4);
  });

  it('names the source of a value that is not a whole number of at least 1', () => {
    expect(() => resolveWorkerCount('0', {})).toThrow('--num_workers: expected a whole number of at least 1, got "0"');
    expect(() => resolveWorkerCount('2.5', {})).toThrow(/--num_workers/);
    expect(() => resolveWorkerCount(undefined, { NUM_WORKERS: 'auto' })).toThrow('NUM_WORKERS: expected a whole number of at least 1, got "auto"');
  });
});
