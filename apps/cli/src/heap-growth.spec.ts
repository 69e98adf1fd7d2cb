import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingPercent } from './heap-growth';

describe('heapGrowingPercent', () => {
  it('defaults when unset or empty', () => {
    expect(heapGrowingPercent({})).toEqual({ percent: DEFAULT_HEAP_GROWING_PERCENT });
    expect(heapGrowingPercent({ TOLLGATE_HEAP_GROWING_PERCENT: ' ' })).toEqual({ percent: DEFAULT_HEAP_GROWING_PERCENT });
  });

  it('reads a whole number, 0 meaning V8 decides', () => {
    expect(heapGrowingPercent({ TOLLGATE_HEAP_GROWING_PERCENT: '0' })).toEqual({ percent: 0 });
    expect(heapGrowingPercent({ TOLLGATE_HEAP_GROWING_PERCENT: '150' })).toEqual({ percent: 150 });
  });

  it('names the variable and the accepted range for anything else', () => {
    for (const value of ['-5', '1.5', 'lots', '401', '1e2']) {
      const result = heapGrowingPercent({ TOLLGATE_HEAP_GROWING_PERCENT: value });
      expect(result).toEqual({ error: expect.stringContaining(`TOLLGATE_HEAP_GROWING_PERCENT must be a whole number from 0 (V8's default) to 400, got "${value}"`) });
    }
  });
});
