import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortableSleep, CancelSource } from './cancel-signal';

describe('CancelSource', () => {
  it('runs each listener once, in the order added, and none added after the abort', () => {
    const source = new CancelSource();
    const calls: string[] = [];
    const a = () => calls.push('a');
    source.addEventListener('abort', a);
    source.addEventListener('abort', () => calls.push('b'), { once: true });
    source.addEventListener('abort', () => calls.push('c'));
    source.addEventListener('abort', a); // the same listener twice counts once, as on an EventTarget
    source.abort('why');
    source.abort('again');
    source.addEventListener('abort', () => calls.push('late'));
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(source.aborted).toBe(true);
    expect(source.reason).toBe('why');
  });

  it('forgets removed listeners, wherever they are in the list', () => {
    const source = new CancelSource();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    const c = () => calls.push('c');
    for (const listener of [a, b, c]) source.addEventListener('abort', listener);
    source.removeEventListener('abort', a);
    source.removeEventListener('abort', c);
    source.removeEventListener('abort', () => calls.push('never added'));
    source.abort();
    expect(calls).toEqual(['b']);
  });

  it('runs the other listeners when one throws, and reports the error as uncaught', async () => {
    const source = new CancelSource();
    const calls: string[] = [];
    const reported = vi.fn();
    const onUncaught = (error: Error) => reported(error.message);
    // vitest records uncaught exceptions through its own listener; this one sees it first and takes it.
    const previous = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      source.addEventListener('abort', () => {
        throw new Error('listener broke');
      });
      source.addEventListener('abort', () => calls.push('second'));
      source.abort();
      expect(calls).toEqual(['second']);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(reported).toHaveBeenCalledWith('listener broke');
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      for (const listener of previous) process.on('uncaughtException', listener);
    }
  });

  describe('as undici\'s signal', () => {
    const servers: Array<{ close(): void }> = [];
    afterEach(() => servers.splice(0).forEach((s) => s.close()));

    it('aborts a request in flight', async () => {
      // A server that never answers: only the abort can end the request.
      const server = createServer(() => {});
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const agent = new Agent();
      const source = new CancelSource();
      const pending = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { dispatcher: agent, signal: source.signal as AbortSignal });
      setTimeout(() => source.abort(), 20);
      await expect(pending).rejects.toThrow(/aborted/i);
      server.closeAllConnections();
      await agent.close();
    });
  });
});

describe('abortableSleep', () => {
  it('waits the whole time when nothing aborts', async () => {
    const started = Date.now();
    await abortableSleep(30, new CancelSource());
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('ends at once when the signal aborts, and leaves no listener behind', async () => {
    const source = new CancelSource();
    const started = Date.now();
    const sleeping = abortableSleep(10_000, source);
    setTimeout(() => source.abort(), 10);
    await sleeping;
    expect(Date.now() - started).toBeLessThan(5_000);
    const idle = new CancelSource();
    const spy = vi.spyOn(idle, 'removeEventListener');
    await abortableSleep(1, idle);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('does not wait when the signal has already aborted', async () => {
    const source = new CancelSource();
    source.abort();
    const started = Date.now();
    await abortableSleep(10_000, source);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
