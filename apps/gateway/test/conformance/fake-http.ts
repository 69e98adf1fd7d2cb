import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Small helpers shared by the conformance fakes: a loopback HTTP server with JSON and SSE replies. */
export interface FakeRequest {
  method: string;
  /** Path with query string. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type FakeHandler = (req: FakeRequest, res: ServerResponse) => void | Promise<void>;

export async function startFakeServer(handler: FakeHandler): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        json = undefined;
      }
      const parsed = new URL(req.url ?? '/', 'http://fake');
      Promise.resolve(handler({ method: req.method ?? 'GET', url: req.url ?? '/', path: parsed.pathname, query: parsed.searchParams, headers: req.headers, raw, json }, res)).catch(
        (err: Error) => {
          if (!res.headersSent) sendJson(res, 500, { error: { message: `fake crashed: ${err.message}` } });
          else res.destroy();
        },
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes server-sent events (`event:` lines when given) and ends the response. */
export function sendSse(res: ServerResponse, events: Array<{ event?: string; data: unknown }>, terminator?: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) {
    res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`);
  }
  if (terminator) res.write(terminator);
  res.end();
}

/** Splits text into `parts` pieces of nearly equal length (for streaming). */
export function pieces(text: string, parts: number): string[] {
  const size = Math.ceil(text.length / parts);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
