import { describe, expect, it } from 'vitest';
import { joinSseEvents, SSE_DONE, sseEvent, SseEventSplitter, sseEventData, sseEventsIn } from './sse-event-splitter';

const EVENTS = [
  'data: {"id":"1","choices":[{"delta":{"content":"Hé"}}]}\n\n',
  ': keep-alive\n\n',
  'event: message\ndata: {"id":"2","choices":[{"delta":{"content":"llo ✓"}}]}\n\n',
  'data: [DONE]\n\n',
];

/** Feeds `chunks` to one splitter and returns every event it produced, as strings. */
function split(chunks: Buffer[]): string[] {
  const splitter = new SseEventSplitter();
  return chunks.flatMap((chunk) => splitter.push(chunk)).map((event) => event.toString('utf8'));
}

describe('SseEventSplitter', () => {
  const payload = Buffer.from(EVENTS.join(''));

  it('returns each whole event, terminator included, from one chunk', () => {
    expect(split([payload])).toEqual(EVENTS);
  });

  it('returns the same events whichever byte the payload is cut at', () => {
    for (let cut = 0; cut <= payload.length; cut++) {
      expect(split([payload.subarray(0, cut), payload.subarray(cut)]), `cut at byte ${cut}`).toEqual(EVENTS);
    }
  });

  it('returns the same events whichever two bytes the payload is cut at', () => {
    for (let a = 1; a < payload.length; a += 3) {
      for (let b = a; b < payload.length; b += 5) {
        const chunks = [payload.subarray(0, a), payload.subarray(a, b), payload.subarray(b)];
        expect(split(chunks), `cuts at ${a} and ${b}`).toEqual(EVENTS);
      }
    }
  });

  it('returns the same events fed one byte at a time, keeping multi-byte characters intact', () => {
    const bytes = [...payload].map((byte) => Buffer.from([byte]));
    const events = new SseEventSplitter();
    const out = bytes.flatMap((b) => events.push(b));
    expect(Buffer.concat(out).equals(payload)).toBe(true);
    expect(out.map((e) => e.toString('utf8'))).toEqual(EVENTS);
  });

  it('emits an event only once its blank line has arrived', () => {
    const splitter = new SseEventSplitter();
    expect(splitter.push(Buffer.from('data: a\n'))).toEqual([]);
    expect(splitter.push(Buffer.from('\ndata: b\n')).map(String)).toEqual(['data: a\n\n']);
    expect(splitter.push(Buffer.from('\n')).map(String)).toEqual(['data: b\n\n']);
  });

  it('splits CRLF-framed events, including a terminator cut in the middle', () => {
    const crlf = Buffer.from('data: one\r\n\r\ndata: two\r\nid: 2\r\n\r\n');
    const expected = ['data: one\r\n\r\n', 'data: two\r\nid: 2\r\n\r\n'];
    for (let cut = 0; cut <= crlf.length; cut++) {
      expect(split([crlf.subarray(0, cut), crlf.subarray(cut)]), `cut at byte ${cut}`).toEqual(expected);
    }
  });

  it('handles LF and CRLF framed events in one stream', () => {
    expect(split([Buffer.from('data: a\n\ndata: b\r\n\r\ndata: c\n\n')])).toEqual(['data: a\n\n', 'data: b\r\n\r\n', 'data: c\n\n']);
  });

  it('does not treat a single CRLF line break as the end of an event', () => {
    expect(split([Buffer.from('data: a\r\ndata: b\r\n')])).toEqual([]);
  });

  it('rest() returns the unterminated tail once, then nothing', () => {
    const splitter = new SseEventSplitter();
    expect(splitter.push(Buffer.from('data: a\n\ndata: tail')).map(String)).toEqual(['data: a\n\n']);
    expect(splitter.rest().toString()).toBe('data: tail');
    expect(splitter.rest().length).toBe(0);
  });

  it('rest() is empty when every event was complete', () => {
    const splitter = new SseEventSplitter();
    splitter.push(payload);
    expect(splitter.rest().length).toBe(0);
  });

  it('keeps working after rest() was taken', () => {
    const splitter = new SseEventSplitter();
    splitter.push(Buffer.from('data: old'));
    splitter.rest();
    expect(splitter.push(Buffer.from('data: new\n\n')).map(String)).toEqual(['data: new\n\n']);
  });
});

describe('sseEventData', () => {
  it('reads a single data line, dropping one space after the colon', () => {
    expect(sseEventData(Buffer.from('data: {"a":1}\n\n'))).toBe('{"a":1}');
  });

  it('reads data with no space after the colon', () => {
    expect(sseEventData(Buffer.from('data:{"a":1}\n\n'))).toBe('{"a":1}');
  });

  it('drops only the first space after the colon', () => {
    expect(sseEventData(Buffer.from('data:  two spaces\n\n'))).toBe(' two spaces');
  });

  it('joins several data lines with newlines', () => {
    expect(sseEventData(Buffer.from('data: first\ndata: second\ndata:third\n\n'))).toBe('first\nsecond\nthird');
  });

  it('ignores comments and other fields', () => {
    expect(sseEventData(Buffer.from(': ping\nevent: delta\nid: 7\nretry: 10\ndata: payload\n\n'))).toBe('payload');
  });

  it('strips CR from CRLF lines', () => {
    expect(sseEventData(Buffer.from('data: a\r\ndata: b\r\n\r\n'))).toBe('a\nb');
  });

  it('returns undefined for a comment-only (keep-alive) event', () => {
    expect(sseEventData(Buffer.from(': keep-alive\n\n'))).toBeUndefined();
  });

  it('returns an empty string for an empty data line', () => {
    expect(sseEventData(Buffer.from('data:\n\n'))).toBe('');
  });
});

describe('sseEvent and SSE_DONE', () => {
  it('frames JSON as one event that sseEventData reads back', () => {
    const value = { id: 'x', choices: [{ delta: { content: 'a\n\nb' } }] };
    const event = sseEvent(value);
    expect(event.toString()).toMatch(/^data: .*\n\n$/s);
    expect(new SseEventSplitter().push(event)).toHaveLength(1);
    expect(JSON.parse(sseEventData(event) as string)).toEqual(value);
  });

  it('SSE_DONE is the [DONE] sentinel event', () => {
    expect(SSE_DONE.toString()).toBe('data: [DONE]\n\n');
    expect(sseEventData(SSE_DONE)).toBe('[DONE]');
  });
});

describe('joinSseEvents', () => {
  it('returns the events cut from one chunk as one range of that chunk, without a copy', () => {
    const chunk = Buffer.from(EVENTS.join('') + 'data: {"partial');
    const events = new SseEventSplitter().push(chunk);
    const joined = joinSseEvents(events) as Buffer;
    expect(joined.buffer).toBe(chunk.buffer);
    expect(joined.byteOffset).toBe(chunk.byteOffset);
    expect(joined.toString()).toBe(EVENTS.join(''));
  });

  it('copies when the events are not one range: one left out, out of order, or from elsewhere', () => {
    const chunk = Buffer.from(EVENTS.join(''));
    const [a, , c, d] = new SseEventSplitter().push(chunk);
    const skipped = joinSseEvents([a, c, d]) as Buffer;
    expect(skipped.toString()).toBe(EVENTS[0] + EVENTS[2] + EVENTS[3]);
    expect((joinSseEvents([a, SSE_DONE]) as Buffer).toString()).toBe(EVENTS[0] + 'data: [DONE]\n\n');
    // Pieces of one memory in another order, or with a gap, are copied in the order given.
    const pool = Buffer.from('data: 1\n\ndata: 2\n\n');
    expect((joinSseEvents([pool.subarray(0, 9), pool.subarray(9)]) as Buffer).toString()).toBe('data: 1\n\ndata: 2\n\n');
    expect((joinSseEvents([pool.subarray(9), pool.subarray(0, 9)]) as Buffer).toString()).toBe('data: 2\n\ndata: 1\n\n');
  });

  it('passes one event through and gives undefined for none', () => {
    expect(joinSseEvents([SSE_DONE])).toBe(SSE_DONE);
    expect(joinSseEvents([])).toBeUndefined();
  });
});

describe('sseEventsIn', () => {
  it('lists the events of a relayed buffer, CRLF framing included, and keeps an unterminated tail whole', () => {
    expect(sseEventsIn(Buffer.from(EVENTS.join(''))).map(String)).toEqual(EVENTS);
    expect(sseEventsIn(Buffer.from('data: a\r\n\r\ndata: b\n\ndata: c')).map(String)).toEqual(['data: a\r\n\r\n', 'data: b\n\n', 'data: c']);
    expect(sseEventsIn(Buffer.alloc(0))).toEqual([]);
  });
});
