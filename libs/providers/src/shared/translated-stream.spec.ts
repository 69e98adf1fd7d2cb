import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { Deadline } from './deadline';
import { relayTranslatedStream, sseFraming, type StreamTranslation } from './translated-stream';

const deployment: Deployment = {
  id: 'd',
  modelName: 'm',
  provider: 'p',
  upstreamModel: 'u',
  timeoutMs: 5_000,
  streamTimeoutMs: 5_000,
  params: { model: 'p/u' },
};

function response(chunks: string[]): Dispatcher.ResponseData & { body: Readable } {
  return { statusCode: 200, headers: {}, body: Readable.from(chunks.map((c) => Buffer.from(c))) } as unknown as Dispatcher.ResponseData & { body: Readable };
}

/** Upper-cases each event's data; complete once it saw `END`. */
function upperCase(): StreamTranslation<Buffer> {
  let complete = false;
  return {
    translate: (event) => {
      const text = event.toString('utf8').replace(/^data: /, '').trim();
      if (text === 'END') complete = true;
      return text === 'END' ? [] : [Buffer.from(text.toUpperCase())];
    },
    isComplete: () => complete,
    endMarker: 'END',
    end: () => [Buffer.from('[DONE]')],
    usage: () => ({ promptTokens: 1, completionTokens: 2, totalTokens: 3 }),
  };
}

async function collect(iterable: AsyncIterable<Buffer>): Promise<string[]> {
  const out: string[] = [];
  for await (const b of iterable) out.push(b.toString('utf8'));
  return out;
}

describe('relayTranslatedStream', () => {
  it('translates frames split across chunks, then adds the closing events; what one read brought goes out as one buffer', async () => {
    const stream = relayTranslatedStream(response(['data: a', 'b\n\ndata: c\n\n', 'data: END\n\n']), deployment, new Deadline(new AbortController().signal), sseFraming(), upperCase());
    expect(await collect(stream.events)).toEqual(['ABC', '[DONE]']);
    expect(stream.usage()).toEqual({ promptTokens: 1, completionTokens: 2, totalTokens: 3 });
  });

  it('fails with a 502 naming the end marker when the upstream stops early', async () => {
    const stream = relayTranslatedStream(response(['data: a\n\n']), deployment, new Deadline(new AbortController().signal), sseFraming(), upperCase());
    const err = await collect(stream.events).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect([(err as GatewayError).status, (err as GatewayError).message]).toEqual([502, expect.stringContaining('before END')]);
  });

  it('uses mapError for provider failures thrown by the translation', async () => {
    const teapot = new GatewayError(418, 'x', 'mapped');
    const stream = relayTranslatedStream(response(['data: a\n\n']), deployment, new Deadline(new AbortController().signal), sseFraming(), {
      ...upperCase(),
      translate: () => {
        throw new Error('native error event');
      },
      mapError: () => teapot,
    });
    expect(await collect(stream.events).catch((e: unknown) => e)).toBe(teapot);
  });

  it('relays what was translated from a read before the translation failed on it, then fails', async () => {
    const translation = upperCase();
    const stream = relayTranslatedStream(response(['data: a\n\ndata: b\n\ndata: boom\n\n']), deployment, new Deadline(new AbortController().signal), sseFraming(), {
      ...translation,
      translate: (event) => {
        if (event.toString().includes('boom')) throw new GatewayError(500, 'api_error', 'the upstream sent an error event');
        return translation.translate(event);
      },
    });
    const received: string[] = [];
    const err = await (async () => {
      for await (const batch of stream.events) received.push(batch.toString());
    })().catch((e: unknown) => e);
    expect(received).toEqual(['AB']);
    expect((err as GatewayError).message).toBe('the upstream sent an error event');
  });

  it('releases the upstream when the reader stops early, and on cancel()', async () => {
    const first = response(['data: a\n\n', 'data: b\n\n', 'data: END\n\n']);
    const stream = relayTranslatedStream(first, deployment, new Deadline(new AbortController().signal), sseFraming(), upperCase());
    for await (const _ of stream.events) break;
    expect(first.body.destroyed).toBe(true);

    const second = response(['data: a\n\n']);
    relayTranslatedStream(second, deployment, new Deadline(new AbortController().signal), sseFraming(), upperCase()).cancel?.();
    expect(second.body.destroyed).toBe(true);
  });
});
