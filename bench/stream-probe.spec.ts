import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream';
import { probeStreams, serialTtft } from './stream-probe';

const body = { model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }] };

describe('probeStreams', () => {
  let upstream: FakeUpstream;

  beforeAll(async () => {
    upstream = await startFakeUpstream({ latencyMs: 40, chunks: 5, chunkIntervalMs: 10 });
  });
  afterAll(() => upstream.close());

  it('opens every stream at once and reads each to [DONE]', async () => {
    const before = upstream.stats().chatRequests;
    const started = performance.now();
    const result = await probeStreams({ url: `${upstream.url}/v1/chat/completions`, body, concurrency: 60, stallMs: 1000 });
    // One after another this would take 60 x ~110 ms.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ completed: 60, stalled: 0, failed: 0, chunks: 300, failures: {} });
    expect(upstream.stats().chatRequests - before).toBe(60);
    // 40 ms latency, then role and first content events 10 ms apart
    expect(result.ttftMs.p50).toBeGreaterThanOrEqual(40 + 20 - 5);
    expect(result.totalMs.p50).toBeGreaterThan(result.ttftMs.p50!);
    expect(result.totalMs.p99).toBeGreaterThanOrEqual(result.totalMs.p50!);
  });

  it('calls a stream stalled when no bytes come for stallMs before [DONE]', async () => {
    const slow = await startFakeUpstream({ chunks: 3, chunkIntervalMs: 250 });
    try {
      const result = await probeStreams({ url: `${slow.url}/v1/chat/completions`, body, concurrency: 4, stallMs: 100 });
      expect(result).toMatchObject({ completed: 0, stalled: 4, failed: 0 });
      expect(result.ttftMs).toEqual({ p50: null, p99: null });
    } finally {
      await slow.close();
    }
  });

  it('tells timeouts, HTTP errors and streams cut before [DONE] apart from stalls', async () => {
    const timedOut = await probeStreams({ url: `${upstream.url}/v1/chat/completions`, body, concurrency: 3, timeoutMs: 70, stallMs: 1000 });
    expect(timedOut).toMatchObject({ completed: 0, stalled: 0, failed: 3, failures: { timeout: 3 } });

    const missing = await probeStreams({ url: `${upstream.url}/v1/nothing`, body, concurrency: 2 });
    expect(missing).toMatchObject({ failed: 2, failures: { '404': 2 } });

    // Sends one content chunk and closes without [DONE], as a crashed upstream would.
    const cut = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n');
    });
    await new Promise<void>((resolve) => cut.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(cut.address() as AddressInfo).port}/v1/chat/completions`;
      const result = await probeStreams({ url, body, concurrency: 2 });
      expect(result).toMatchObject({ completed: 0, failed: 2, chunks: 2, failures: { 'incomplete-stream': 2 } });
    } finally {
      cut.closeAllConnections();
      cut.close();
    }
  });
});

describe('serialTtft', () => {
  it('measures streams one at a time after an unmeasured warm-up', async () => {
    const upstream = await startFakeUpstream({ latencyMs: 30, chunks: 2, chunkIntervalMs: 5 });
    try {
      const result = await serialTtft({ url: `${upstream.url}/v1/chat/completions`, body, count: 5 });
      expect(upstream.stats().chatRequests).toBe(6);
      expect(result.ttftMs.p50).toBeGreaterThanOrEqual(30);
      expect(result.ttftMs.p90).toBeGreaterThanOrEqual(result.ttftMs.p50!);
      expect(result.totalMs.p50).toBeGreaterThan(result.ttftMs.p50!);
    } finally {
      await upstream.close();
    }
  });

  it('notes the longest wait between two content chunks of each stream', async () => {
    const spaced = await startFakeUpstream({ chunks: 3, chunkIntervalMs: 40 });
    const together = await startFakeUpstream({ chunks: 3 });
    try {
      const apart = await serialTtft({ url: `${spaced.url}/v1/chat/completions`, body, count: 2 });
      // Timers never fire early, so the events of the spaced upstream are at least 40 ms apart.
      expect(apart.longestGapMs.p50).toBeGreaterThanOrEqual(39);
      const atOnce = await serialTtft({ url: `${together.url}/v1/chat/completions`, body, count: 2 });
      expect(atOnce.longestGapMs.p50).toBeLessThan(apart.longestGapMs.p50!);
    } finally {
      await spaced.close();
      await together.close();
    }
  });

  it('throws when a stream does not complete', async () => {
    const upstream = await startFakeUpstream();
    try {
      await expect(serialTtft({ url: `${upstream.url}/v1/nothing`, body, count: 2, warmup: 0 })).rejects.toThrow(/stream 1 failed \(404\)/);
    } finally {
      await upstream.close();
    }
  });
});
