import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { EventStreamFrameReader } from './event-stream-frames';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: 'string' as const, value });

/** A frame as Bedrock sends it: `:event-type`, `:content-type`, `:message-type` headers and a JSON payload. */
function eventFrame(eventType: string, payload: unknown): Buffer {
  const headers = { ':event-type': str(eventType), ':content-type': str('application/json'), ':message-type': str('event') };
  return Buffer.from(codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) }));
}

function exceptionFrame(exceptionType: string, message: string): Buffer {
  const headers = { ':exception-type': str(exceptionType), ':content-type': str('application/json'), ':message-type': str('exception') };
  return Buffer.from(codec.encode({ headers, body: fromUtf8(JSON.stringify({ message })) }));
}

const START = eventFrame('messageStart', { role: 'assistant', p: 'abc' });
const DELTA = eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Héllo' }, p: 'abcdefgh' });
const STOP = eventFrame('messageStop', { stopReason: 'end_turn', p: 'ab' });

describe('EventStreamFrameReader', () => {
  it('decodes several frames arriving in one chunk', () => {
    const frames = new EventStreamFrameReader().push(Buffer.concat([START, DELTA, STOP]));
    expect(frames.map((f) => f.eventType)).toEqual(['messageStart', 'contentBlockDelta', 'messageStop']);
    expect(frames.every((f) => f.messageType === 'event')).toBe(true);
    expect(JSON.parse(frames[1].body)).toEqual({ contentBlockIndex: 0, delta: { text: 'Héllo' }, p: 'abcdefgh' });
  });

  it('buffers frames split anywhere, even one byte at a time', () => {
    const reader = new EventStreamFrameReader();
    const all = Buffer.concat([START, DELTA, STOP]);
    const seen: string[] = [];
    for (let i = 0; i < all.length; i++) {
      for (const frame of reader.push(all.subarray(i, i + 1))) seen.push(frame.eventType ?? '');
      // Nothing comes out before a frame's last byte.
      if (i === START.length - 2) expect(seen).toEqual([]);
    }
    expect(seen).toEqual(['messageStart', 'contentBlockDelta', 'messageStop']);
    expect(reader.hasPartialFrame).toBe(false);
  });

  it('reports an incomplete trailing frame', () => {
    const reader = new EventStreamFrameReader();
    expect(reader.push(Buffer.concat([START, DELTA.subarray(0, 20)]))).toHaveLength(1);
    expect(reader.hasPartialFrame).toBe(true);
  });

  it('reads exception frames with their exception type and message', () => {
    const [frame] = new EventStreamFrameReader().push(exceptionFrame('throttlingException', 'Too many tokens, please wait before trying again.'));
    expect(frame).toEqual({
      messageType: 'exception',
      exceptionType: 'throttlingException',
      eventType: undefined,
      body: '{"message":"Too many tokens, please wait before trying again."}',
    });
  });

  it('reads error frames from their :error-code and :error-message headers', () => {
    const headers = { ':message-type': str('error'), ':error-code': str('InternalFailure'), ':error-message': str('boom') };
    const [frame] = new EventStreamFrameReader().push(Buffer.from(codec.encode({ headers, body: new Uint8Array() })));
    expect(frame).toMatchObject({ messageType: 'error', exceptionType: 'InternalFailure', body: '{"message":"boom"}' });
  });

  it('rejects a corrupted frame (CRC mismatch) and bytes that cannot be a frame', () => {
    const corrupted = Buffer.from(DELTA);
    corrupted[corrupted.length - 10] ^= 0xff;
    expect(() => new EventStreamFrameReader().push(corrupted)).toThrow();
    expect(() => new EventStreamFrameReader().push(Buffer.from('{"message":"not a frame at all"}'))).toThrow(/frame length/);
  });
});
