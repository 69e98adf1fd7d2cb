import { describe, expect, it } from 'vitest';
import { clientCallIdFrom, newCallId } from './call-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newCallId', () => {
  it('is a fresh UUID every time', () => {
    expect(newCallId()).toMatch(UUID);
    expect(newCallId()).not.toBe(newCallId());
  });

  it('stays a unique version 4 UUID across many draws of its random pool', () => {
    const ids = Array.from({ length: 10_000 }, newCallId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID);
    // Random hex digits: every one appears in the ids' random positions, none stuck.
    const digits = new Set(ids.map((id) => id.slice(0, 8)).join(''));
    expect(digits.size).toBe(16);
  });
});

describe('clientCallIdFrom', () => {
  it.each(['abc-123', 'trace.id_7', 'span:42', 'a'.repeat(128)])('keeps a safe caller id %s', (id) => {
    expect(clientCallIdFrom(id)).toBe(id);
  });

  it('takes the first of repeated headers', () => {
    expect(clientCallIdFrom(['first-id', 'second-id'])).toBe('first-id');
  });

  it.each([undefined, '', 'has space', 'semi;colon', 'a'.repeat(129), 'new\nline', 'ünïcode'])('ignores an unsafe or missing id %j', (header) => {
    expect(clientCallIdFrom(header)).toBeUndefined();
  });
});
