import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, errors, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelSource } from '@tollgate/common';
import { STREAM_HIGH_WATER_MARK, streamingCall, type UpstreamBody } from './streaming-call';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

async function readAll(body: UpstreamBody): Promise<string> {
  let text = '';
  for await (const chunk of body) text += chunk.toString('utf8');
  return text;
}

describe('streamingCall against a real server', () => {
  const routes = new Map<string, Route>();
  let server: Server;
  let origin: string;
  const agent = new Agent({ keepAliveTimeout: 1_000 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => routes.get(req.url ?? '')?.(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await agent.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (path: string, signal = new CancelSource()) =>
    streamingCall(agent, { origin, path, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, signal);

  /** A route that sends its headers and first chunk, then the rest once `release` is called. */
  function heldRoute(path: string) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    routes.set(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'X-Kind': 'held' });
      res.write('data: first\n\n');
      res.on('close', closed);
      void released.then(() => res.end('data: last\n\n'));
    });
    return { release, upstreamClosed };
  }

  it('resolves at the headers and yields the body as it arrives', async () => {
    const held = heldRoute('/held');
    const response = await call('/held');
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-kind']).toBe('held');
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.toString()).toBe('data: first\n\n'); // before the upstream has finished
    held.release();
    let rest = '';
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) rest += step.value.toString();
    expect(rest).toBe('data: last\n\n');
  });

  it('returns error statuses as responses whose body can be read', async () => {
    routes.set('/limited', (_req, res) => {
      res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down"}}');
    });
    const response = await call('/limited');
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('7');
    expect(await readAll(response.body)).toContain('slow down');
  });

  it('rejects, and closes the upstream request, when the signal fires before the headers', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    routes.set('/silent', (_req, res) => res.on('close', closed));
    const signal = new CancelSource();
    const pending = call('/silent', signal);
    setTimeout(() => signal.abort(), 30);
    await expect(pending).rejects.toBeInstanceOf(errors.RequestAbortedError);
    await upstreamClosed;
  });

  it('fails the reader, and closes the upstream request, when the signal fires mid-body', async () => {
    const held = heldRoute('/held-abort');
    const signal = new CancelSource();
    const response = await call('/held-abort', signal);
    const reading = readAll(response.body);
    setTimeout(() => signal.abort(), 30);
    await expect(reading).rejects.toBeInstanceOf(errors.RequestAbortedError);
    await held.upstreamClosed;
  });

  it('sends nothing when the signal has already fired', async () => {
    let reached = false;
    routes.set('/never', (_req, res) => {
      reached = true;
      res.end();
    });
    const signal = new CancelSource();
    signal.abort();
    await expect(call('/never', signal)).rejects.toBeInstanceOf(errors.RequestAbortedError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reached).toBe(false);
  });

  it('closes the upstream request when the reader stops early, and yields nothing more', async () => {
    const held = heldRoute('/held-break');
    const response = await call('/held-break');
    for await (const chunk of response.body) {
      expect(chunk.toString()).toBe('data: first\n\n');
      break; // the iterator's return() destroys the body
    }
    await held.upstreamClosed;
    held.release();
    expect(await readAll(response.body)).toBe('');
  });

  it('fails the reader when the upstream connection breaks mid-body', async () => {
    routes.set('/broken', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: partial\n\n');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const response = await call('/broken');
    await expect(readAll(response.body)).rejects.toThrow(/closed|socket/i);
  });

  it('relays a large body whole while the reader is slower than the upstream', async () => {
    const piece = 'x'.repeat(16 * 1024);
    routes.set('/large', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let left = 256; // 4 MiB
      const more = () => {
        while (left > 0) {
          left--;
          if (!res.write(piece)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    const response = await call('/large');
    let bytes = 0;
    let largest = 0;
    for await (const chunk of response.body) {
      bytes += chunk.length;
      largest = Math.max(largest, chunk.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(bytes).toBe(256 * piece.length);
    // The socket was paused at the high-water mark: no chunk holds much more than that (one read beyond it).
    expect(largest).toBeLessThan(STREAM_HIGH_WATER_MARK + 256 * 1024);
  });
});

/**
 * The handler contract driven by hand through a stand-in dispatcher: what undici's client would call, in
 * the order it calls it, so the pause/resume and 1xx rules are checked exactly.
 */
describe('streamingCall handler contract', () => {
  interface LegacyHandler {
    onConnect(abort: (error: Error) => void): void;
    onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean;
    onData(chunk: Buffer): boolean;
    onComplete(trailers: Buffer[]): void;
    onError(error: Error): void;
  }

  function start(signal = new CancelSource()) {
    let handler!: LegacyHandler;
    const dispatcher = { dispatch: (_options: unknown, h: LegacyHandler) => ((handler = h), true) } as unknown as Dispatcher;
    const response = streamingCall(dispatcher, { origin: 'http://upstream.test', path: '/', method: 'POST', headers: {} }, signal);
    const aborts: Error[] = [];
    handler.onConnect((error) => aborts.push(error));
    return { handler, response, aborts };
  }

  it('pauses the upstream at the high-water mark and resumes it once the reader has taken the queue', async () => {
    const { handler, response } = start();
    let resumed = 0;
    handler.onHeaders(200, [], () => resumed++);
    const { body } = await response;
    const half = Buffer.alloc(STREAM_HIGH_WATER_MARK / 2);
    expect(handler.onData(half)).toBe(true);
    expect(handler.onData(half)).toBe(false); // at the mark: undici stops reading the socket
    expect(resumed).toBe(0);
    const iterator = body[Symbol.asyncIterator]();
    const taken = await iterator.next();
    expect(taken.value?.length).toBe(STREAM_HIGH_WATER_MARK); // the queue comes out as one chunk
    expect(resumed).toBe(1);
    expect(handler.onData(half)).toBe(true);
    handler.onComplete([]);
    expect((await iterator.next()).value?.length).toBe(half.length);
    expect((await iterator.next()).done).toBe(true);
    expect(resumed).toBe(1);
  });

  it('waits past informational (1xx) responses for the real one', async () => {
    const { handler, response } = start();
    let settled = false;
    void response.then(() => (settled = true));
    handler.onHeaders(100, [], () => {});
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    handler.onHeaders(200, [Buffer.from('Content-Type'), Buffer.from('text/event-stream')], () => {});
    expect((await response).headers['content-type']).toBe('text/event-stream');
  });

  it('rejects with the connection error when it fails before the headers, without aborting again', async () => {
    const { handler, response, aborts } = start();
    handler.onError(new errors.SocketError('other side closed'));
    await expect(response).rejects.toThrow('other side closed');
    expect(aborts).toEqual([]);
  });

  it('ignores a signal that fires after the response is complete', async () => {
    const signal = new CancelSource();
    const { handler, response, aborts } = start(signal);
    handler.onHeaders(200, [], () => {});
    handler.onData(Buffer.from('all'));
    handler.onComplete([]);
    signal.abort();
    expect(await readAll((await response).body)).toBe('all');
    expect(aborts).toEqual([]);
  });
});
