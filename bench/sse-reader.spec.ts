import { describe, expect, it } from 'vitest';
import { SseReader } from './sse-reader';

const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
const stream = [
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] })}\n\n`,
  chunk('héllo'),
  ': keep-alive comment\n\n',
  chunk(' wörld'),
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
  'data: [DONE]\n\n',
].join('');

function feed(reader: SseReader, bytes: Buffer, pieceSize: number) {
  for (let i = 0; i < bytes.length; i += pieceSize) reader.push(bytes.subarray(i, i + pieceSize));
  reader.end();
  return reader;
}

describe('SseReader', () => {
  it('counts content deltas however the bytes are split, multi-byte characters included', () => {
    const bytes = Buffer.from(stream);
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const reader = feed(new SseReader(), bytes, size);
      expect({ chunks: reader.contentChunks, done: reader.done, error: reader.error }).toEqual({ chunks: 2, done: true, error: null });
      expect(reader.firstContentAt).toEqual(expect.any(Number));
    }
  });

  it('accepts CRLF line endings, "data:" without a space and a last event missing its blank line', () => {
    const reader = feed(new SseReader(), Buffer.from(chunk('a').replace(/\n/g, '\r\n') + 'data:' + chunk('b').slice(5).trimEnd()), 4);
    expect(reader.contentChunks).toBe(2);
    expect(reader.done).toBe(false);
  });

  it('ignores whatever follows [DONE] and reports error events and broken data', () => {
    const after = feed(new SseReader(), Buffer.from(`data: [DONE]\n\n${chunk('late')}`), 5);
    expect(after.contentChunks).toBe(0);
    expect(after.done).toBe(true);

    const failed = feed(new SseReader(), Buffer.from(`${chunk('x')}data: {"error":{"message":"upstream broke"}}\n\n`), 9);
    expect(failed.error).toBe('upstream broke');
    expect(failed.contentChunks).toBe(1);
    expect(feed(new SseReader(), Buffer.from('data: {"choi\n\n'), 3).error).toMatch(/unparsable/);
  });

  it('reports no first-content time for a stream without content', () => {
    const reader = feed(new SseReader(), Buffer.from(chunk('') + 'data: [DONE]\n\n'), 10);
    expect(reader.firstContentAt).toBeNull();
    expect(reader.done).toBe(true);
  });
});
