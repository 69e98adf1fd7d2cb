import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelSource } from '@tollgate/common';
import { bufferedCall, headersObject } from './buffered-call';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe('bufferedCall', () => {
  const routes = new Map<string, Route>();
  let server: Server;
  let origin: string;
  const agent = new Agent({ keepAliveTimeout: 1_000 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => routes.get(req.url ?? '')?.(req, res, body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await agent.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (path: string, signal = new CancelSource(), body = '{"q":1}') =>
    bufferedCall(agent, { origin, path, method: 'POST', headers: { 'content-type': 'application/json' }, body }, signal);

  it('returns the status, headers and whole body, however many pieces it arrived in', async () => {
    routes.set('/pieces', (req, res, body) => {
      res.writeHead(201, { 'content-type': 'application/json', 'X-Echo': req.headers['content-type'] as string });
      res.write('{"got":');
      setTimeout(() => res.end(`${body},"tail":"${'x'.repeat(100_000)}"}`), 10);
    });
    const response = await call('/pieces');
    expect(response.statusCode).toBe(201);
    const json = JSON.parse(response.body.toString('utf8'));
    expect(json.got).toEqual({ q: 1 });
    expect(json.tail).toHaveLength(100_000);
    expect(headersObject(response.rawHeaders)['x-echo']).toBe('application/json');
  });

  it('returns error statuses as responses, not as failures', async () => {
    routes.set('/limited', (_req, res) => {
      res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down"}}');
    });
    const response = await call('/limited');
    expect(response.statusCode).toBe(429);
    expect(headersObject(response.rawHeaders)['retry-after']).toBe('7');
    expect(response.body.toString()).toContain('slow down');
  });

  it('aborts the upstream request when the signal fires mid-call', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    routes.set('/hang', (req, res) => {
      res.writeHead(200);
      res.write('{"partial":');
      res.on('close', closed);
    });
    const signal = new CancelSource();
    const pending = call('/hang', signal);
    setTimeout(() => signal.abort(), 30);
    await expect(pending).rejects.toThrow(/aborted/i);
    await upstreamClosed; // the socket was closed, not left to finish
  });

  it('does not send anything when the signal has already fired', async () => {
    let reached = false;
    routes.set('/never', (_req, res) => {
      reached = true;
      res.end('{}');
    });
    const signal = new CancelSource();
    signal.abort();
    await expect(call('/never', signal)).rejects.toThrow(/aborted/i);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reached).toBe(false);
  });

  it('fails with the network error when the upstream drops the connection', async () => {
    routes.set('/drop', (req) => req.socket.destroy());
    await expect(call('/drop')).rejects.toMatchObject({ code: expect.stringMatching(/^UND_ERR|ECONNRESET/) });
  });

  it('stops listening to the signal once the call has ended', async () => {
    routes.set('/ok', (_req, res) => res.end('{}'));
    const signal = new CancelSource();
    await call('/ok', signal);
    const listeners = signal as unknown as { first?: unknown; more?: unknown[] };
    expect(listeners.first).toBeUndefined();
    expect(listeners.more ?? []).toHaveLength(0);
  });
});

describe('headersObject', () => {
  it('lower-cases names, keeps repeats as arrays and treats __proto__ as a plain name', () => {
    const raw = ['Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'X-One', 'v', '__proto__', 'p'].map((s) => Buffer.from(s));
    const headers = headersObject(raw);
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(headers['x-one']).toBe('v');
    expect(headers['__proto__']).toBe('p');
    expect(Object.getPrototypeOf(headers)).toBeNull();
  });
});
