import { describe, expect, it } from 'vitest';
import { clientCallIdFrom, newCallId } from './call-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newCallId', () => {
  it('is a fresh UUID every time', () => {
    expect(newCallId()).toMatch(UUID);
    expect(newCallId()).not.toBe(newCallId());
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
