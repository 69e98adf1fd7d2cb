import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream';
import { parseFloorArgs, startFloorProxy } from './floor-proxy';

const messages = [{ role: 'user' as const, content: 'Say hello.' }];

describe('floor proxy', () => {
  let upstream: FakeUpstream;
  let floor: { url: string; close: () => Promise<void> };
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeUpstream({ chunks: 5 });
    floor = await startFloorProxy({ host: '127.0.0.1', port: 0, upstream: upstream.url });
    client = new OpenAI({ apiKey: 'sk-floor', baseURL: `${floor.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await floor.close();
    await upstream.close();
  });

  it('relays a JSON completion from the upstream', async () => {
    const completion = await client.chat.completions.create({ model: 'bench-model', messages });
    expect(completion.choices[0].message.content).toBe(upstream.content);
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('relays a stream chunk by chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'bench-model', messages, stream: true });
    const deltas: string[] = [];
    for await (const chunk of stream) deltas.push(chunk.choices[0].delta.content ?? '');
    expect(deltas.join('')).toBe(upstream.content);
    expect(deltas.filter(Boolean)).toHaveLength(5);
  });

  it('reads its command line and refuses a missing upstream', () => {
    expect(parseFloorArgs(['--port', '8080', '--upstream=http://127.0.0.1:9000'])).toEqual({ host: '127.0.0.1', port: 8080, upstream: 'http://127.0.0.1:9000' });
    expect(() => parseFloorArgs(['--port', '1'])).toThrow('--upstream URL is required');
    expect(() => parseFloorArgs(['--bogus', '1'])).toThrow('unknown option --bogus');
  });
});
