import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream';
import { bigPrompt, longStream } from './large-payloads';

type Seen = { headers: IncomingHttpHeaders; body: Record<string, unknown> };

/** An upstream that records what it got and answers with a fixed body. */
async function recordingServer(status: number, answer: string, contentType = 'application/json') {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (p: Buffer) => parts.push(p));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: JSON.parse(Buffer.concat(parts).toString('utf8')) });
      res.writeHead(status, { 'content-type': contentType });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    server.closeAllConnections();
    server.close();
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`, seen, close };
}

describe('bigPrompt', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream({ maxBodyBytes: 3 * 1024 * 1024 });
  });
  afterAll(() => upstream.close());

  it('sends a 1 MiB user message by default', async () => {
    const server = await recordingServer(200, JSON.stringify({ object: 'chat.completion', choices: [{ message: { content: 'ok' } }] }));
    try {
      const result = await bigPrompt({ url: server.url, model: 'bench-model', headers: { authorization: 'Bearer sk-x' } });
      expect(result).toMatchObject({ status: 200, ok: true });
      const [{ body, headers }] = server.seen;
      expect(((body.messages as Array<{ content: string }>)[0]).content).toHaveLength(1024 * 1024);
      expect(body.model).toBe('bench-model');
      expect(headers.authorization).toBe('Bearer sk-x');
    } finally {
      server.close();
    }
  });

  it('is ok for a 2 MiB prompt the upstream completes, and not for one it refuses', async () => {
    const url = `${upstream.url}/v1/chat/completions`;
    const accepted = await bigPrompt({ url, model: 'bench-model', bytes: 2 * 1024 * 1024 });
    expect(accepted).toMatchObject({ status: 200, ok: true });
    expect(accepted.ms).toBeGreaterThan(0);
    const refused = await bigPrompt({ url, model: 'bench-model', bytes: 4 * 1024 * 1024 });
    expect(refused).toMatchObject({ status: 413, ok: false });
    expect(refused.error).toMatch(/larger than the fake upstream accepts/);
  });

  it('is not ok for a 200 that is not a completion, or when nothing answers', async () => {
    const server = await recordingServer(200, '{"object":"list"}');
    try {
      expect(await bigPrompt({ url: server.url, model: 'm', bytes: 10 })).toMatchObject({ status: 200, ok: false });
    } finally {
      server.close();
    }
    const gone = await startFakeUpstream();
    await gone.close();
    expect(await bigPrompt({ url: gone.url, model: 'm', bytes: 10 })).toMatchObject({ status: 0, ok: false, error: 'ECONNREFUSED' });
  });
});

describe('longStream', () => {
  it('receives every one of a large number of chunks', async () => {
    const upstream = await startFakeUpstream();
    try {
      const result = await longStream({ url: `${upstream.url}/v1/chat/completions`, model: 'bench-model', chunks: 100_000 });
      expect(result).toMatchObject({ status: 200, chunks: 100_000, complete: true });
    } finally {
      await upstream.close();
    }
  });

  it('asks with both the body field and the header', async () => {
    const server = await recordingServer(200, 'data: [DONE]\n\n', 'text/event-stream');
    try {
      await longStream({ url: server.url, model: 'bench-model', chunks: 7, headers: { authorization: 'Bearer sk-y' } });
      const [{ body, headers }] = server.seen;
      expect(body).toMatchObject({ stream: true, bench_chunks: 7, model: 'bench-model' });
      expect(headers).toMatchObject({ 'x-bench-chunks': '7', authorization: 'Bearer sk-y' });
    } finally {
      server.close();
    }
  });

  it('is incomplete when fewer chunks arrive, as behind a gateway that drops both hints', async () => {
    const upstream = await startFakeUpstream({ chunks: 20 });
    try {
      // The fake upstream's default answer stands in for one that never saw the requested count.
      const text = await (await fetch(`${upstream.url}/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' })).text();
      const server = await recordingServer(200, text, 'text/event-stream');
      try {
        const result = await longStream({ url: server.url, model: 'bench-model', chunks: 50 });
        expect(result).toMatchObject({ status: 200, chunks: 20, complete: false });
      } finally {
        server.close();
      }
    } finally {
      await upstream.close();
    }
  });

  it('reports an HTTP error with an excerpt of its body', async () => {
    const upstream = await startFakeUpstream();
    try {
      const result = await longStream({ url: `${upstream.url}/v1/nothing`, model: 'bench-model', chunks: 3 });
      expect(result).toMatchObject({ status: 404, chunks: 0, complete: false });
      expect(result.error).toMatch(/Unknown route/);
    } finally {
      await upstream.close();
    }
  });
});
