import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream';
import { pacedLoad } from './paced-load';

const body = { model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }] };
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('pacedLoad', () => {
  let slow: FakeUpstream;

  beforeAll(async () => {
    slow = await startFakeUpstream({ latencyMs: 300, chunks: 5, chunkIntervalMs: 10 });
  });
  afterAll(() => slow.close());

  it('keeps the arrival rate while earlier requests are still waiting (open loop)', async () => {
    const before = slow.stats().chatRequests;
    const started = performance.now();
    const result = await pacedLoad({ url: `${slow.url}/v1/chat/completions`, body, ratePerSecond: 40, durationS: 1 });
    const elapsed = performance.now() - started;

    // A closed loop on one connection would need 40 x 300 ms; the open loop ends one latency after the last start.
    expect(elapsed).toBeLessThan(1000 + 300 + 400);
    expect(result).toMatchObject({ sent: 40, completed: 40, errors: 0, statusCounts: { '200': 40 } });
    expect(slow.stats().chatRequests - before).toBe(40);
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(300);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(result.latencyMs.p99!);
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p50!);
    expect(result.ttftMs).toBeUndefined();
  });

  it('reads streams to [DONE] and reports time to first content', async () => {
    const result = await pacedLoad({ url: `${slow.url}/v1/chat/completions`, body, ratePerSecond: 20, durationS: 0.5, stream: true });
    expect(result).toMatchObject({ sent: 10, completed: 10, errors: 0 });
    // 300 ms latency, then role and first content events 10 ms apart; 5 content + finish + [DONE] to the end.
    expect(result.ttftMs!.p50).toBeGreaterThanOrEqual(300 + 2 * 10 - 5);
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(300 + 8 * 10 - 5);
    expect(result.latencyMs.p50).toBeGreaterThan(result.ttftMs!.p50!);
  });

  it('counts requests due while maxInFlight are open as not started', async () => {
    const stuck = await startFakeUpstream({ latencyMs: 1500 });
    try {
      // 20 requests due within 475 ms; the first 5 hold their slots for 1.5 s.
      const result = await pacedLoad({ url: `${stuck.url}/v1/chat/completions`, body, ratePerSecond: 40, durationS: 0.5, maxInFlight: 5 });
      expect(result).toMatchObject({ sent: 5, completed: 5, errors: 15, statusCounts: { '200': 5, 'not-started': 15 } });
    } finally {
      await stuck.close();
    }
  });

  it('schedules by absolute time, so a blocked event loop delays requests but does not drop them', async () => {
    const fast = await startFakeUpstream();
    try {
      setTimeout(() => {
        const until = performance.now() + 250;
        while (performance.now() < until); // a 250 ms stall in the client
      }, 100);
      const result = await pacedLoad({ url: `${fast.url}/v1/chat/completions`, body, ratePerSecond: 100, durationS: 0.6 });
      expect(result).toMatchObject({ sent: 60, completed: 60 });
      expect(result.maxStartLagMs).toBeGreaterThanOrEqual(200);
      // Requests due during the stall waited in the client, and that wait is part of their latency.
      expect(result.latencyMs.max).toBeGreaterThanOrEqual(200);
    } finally {
      await fast.close();
    }
  });

  it('counts HTTP errors, bad bodies, timeouts and refused connections, every scheduled request once', async () => {
    const notFound = await pacedLoad({ url: `${slow.url}/v1/nothing`, body, ratePerSecond: 50, durationS: 0.2 });
    expect(notFound).toMatchObject({ sent: 10, completed: 0, errors: 10, statusCounts: { '404': 10 } });
    expect(notFound.latencyMs).toEqual({ p50: null, p90: null, p99: null, max: null });

    // A 200 that is not a completion, as a misconfigured proxy in front of the upstream might send.
    const empty = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => empty.listen(0, '127.0.0.1', resolve));
    const emptyUrl = `http://127.0.0.1:${(empty.address() as AddressInfo).port}/v1/chat/completions`;
    const badBody = await pacedLoad({ url: emptyUrl, body, ratePerSecond: 50, durationS: 0.1 });
    empty.closeAllConnections();
    empty.close();
    expect(badBody.statusCounts).toEqual({ 'bad-body': 5 });

    const timedOut = await pacedLoad({ url: `${slow.url}/v1/chat/completions`, body, ratePerSecond: 50, durationS: 0.1, timeoutMs: 100 });
    expect(timedOut.statusCounts).toEqual({ timeout: 5 });

    const closed = await startFakeUpstream();
    const url = `${closed.url}/v1/chat/completions`;
    await closed.close();
    const refused = await pacedLoad({ url, body, ratePerSecond: 50, durationS: 0.1 });
    expect(refused).toMatchObject({ completed: 0, errors: 5, statusCounts: { ECONNREFUSED: 5 } });
    for (const result of [notFound, badBody, timedOut, refused]) expect(total(result.statusCounts)).toBe(result.errors);
  });

  it('leaves the warm-up out of the figures and tallies it apart', async () => {
    // The first 20 requests to arrive wait 250 ms, the rest are answered at once: only the warm-up is slow.
    let arrivals = 0;
    const coldStart = createServer((_req, res) => {
      const answer = () => res.end('{"choices":[]}');
      if (++arrivals <= 20) setTimeout(answer, 250);
      else answer();
    });
    await new Promise<void>((resolve) => coldStart.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(coldStart.address() as AddressInfo).port}/v1/chat/completions`;
      const result = await pacedLoad({ url, body, ratePerSecond: 40, durationS: 0.5, warmupS: 0.5 });
      expect(result).toMatchObject({ sent: 20, completed: 20, errors: 0, statusCounts: { '200': 20 } });
      expect(result.warmup).toEqual({ sent: 20, completed: 20, statusCounts: { '200': 20 } });
      expect(arrivals).toBe(40);
      expect(result.latencyMs.max).toBeLessThan(150);
    } finally {
      coldStart.closeAllConnections();
      coldStart.close();
    }
  });

  it('refuses a rate or duration that is not positive', async () => {
    await expect(pacedLoad({ url: slow.url, body, ratePerSecond: 0, durationS: 1 })).rejects.toThrow(RangeError);
    await expect(pacedLoad({ url: slow.url, body, ratePerSecond: 10, durationS: 1, warmupS: -1 })).rejects.toThrow(RangeError);
  });
});
