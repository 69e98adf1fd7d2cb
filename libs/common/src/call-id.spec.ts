import { describe, expect, it } from 'vitest';
import { callIdFrom } from './call-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('callIdFrom', () => {
  it.each(['abc', 'call_1.2-3', 'A'.repeat(128), '0f8fad5b-d9cb-469f-a165-70867728950e'])('keeps the safe caller id %s', (id) => {
    expect(callIdFrom(id)).toBe(id);
  });

  it('takes the first value of a repeated header when it is safe', () => {
    expect(callIdFrom(['first-id', 'second-id'])).toBe('first-id');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['with a colon (BullMQ separator)', 'bull:queue:1'],
    ['with a slash', 'a/b'],
    ['with a space', 'a b'],
    ['with a newline', 'abc\n'],
    ['non-ASCII', 'café'],
    ['an empty array', []],
    ['an array whose first value is unsafe', ['a b', 'safe']],
  ])('replaces a caller id that is %s with a fresh UUID', (_, header) => {
    expect(callIdFrom(header)).toMatch(UUID);
  });

  it('generates a different id on every call', () => {
    expect(callIdFrom(undefined)).not.toBe(callIdFrom(undefined));
  });
});
