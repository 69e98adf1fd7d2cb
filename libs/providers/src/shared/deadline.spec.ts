import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Deployment } from '../provider.types';
import { Deadline } from './deadline';

const deployment: Deployment = {
  id: 'dep-7',
  modelName: 'claude',
  provider: 'openai',
  upstreamModel: 'claude-x',
  timeoutMs: 1000,
  streamTimeoutMs: 1000,
  params: { model: 'openai/claude-x', api_key: 'sk-never-shown' },
};

describe('Deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires when the deadline passes and reports a 504 naming the deployment', () => {
    const deadline = new Deadline(new AbortController().signal);
    deadline.arm(20);
    vi.advanceTimersByTime(19);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(true);
    const error = deadline.abortError(deployment, 'respond', 20);
    expect(error.status).toBe(504);
    expect(error.type).toBe('timeout');
    expect(error.options.code).toBe('timeout');
    expect(error.message).toBe('Deployment "claude" (id dep-7, provider openai) did not respond within 20 ms.');
    expect(error.message).not.toContain('sk-never-shown');
    deadline.dispose();
  });

  it('fires when the caller aborts and reports 499 client_closed_request', () => {
    const caller = new AbortController();
    const deadline = new Deadline(caller.signal);
    deadline.arm(10_000);
    caller.abort();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(false);
    const error = deadline.abortError(deployment, 'respond', 10_000);
    expect(error.status).toBe(499);
    expect(error.type).toBe('client_closed_request');
    deadline.dispose();
  });

  it('keeps reporting a caller abort as 499 when the armed deadline passes afterwards', () => {
    const caller = new AbortController();
    const deadline = new Deadline(caller.signal);
    deadline.arm(100);
    caller.abort();
    vi.advanceTimersByTime(200);
    expect(deadline.timedOut).toBe(false);
    expect(deadline.abortError(deployment, 'respond', 100).status).toBe(499);
  });

  it('starts aborted when the caller already went away', () => {
    const caller = new AbortController();
    caller.abort();
    const deadline = new Deadline(caller.signal);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.abortError(deployment, 'respond', 1).status).toBe(499);
  });

  it('does not fire once disarmed', () => {
    const deadline = new Deadline(new AbortController().signal);
    deadline.arm(20);
    deadline.disarm();
    vi.advanceTimersByTime(1000);
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.timedOut).toBe(false);
  });

  it('re-arming replaces the previous deadline', () => {
    const deadline = new Deadline(new AbortController().signal);
    deadline.arm(30);
    vi.advanceTimersByTime(20);
    deadline.arm(30); // as a stream does on every chunk
    vi.advanceTimersByTime(20); // past the first deadline, before the second
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(10);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(true);
  });

  it('ignores the caller and the timer once disposed', () => {
    const caller = new AbortController();
    const deadline = new Deadline(caller.signal);
    deadline.arm(20);
    deadline.dispose();
    caller.abort();
    vi.advanceTimersByTime(1000);
    expect(deadline.signal.aborted).toBe(false);
  });

  it('cancel() aborts at once without counting as a timeout', () => {
    const deadline = new Deadline(new AbortController().signal);
    deadline.arm(20);
    deadline.cancel();
    vi.advanceTimersByTime(1000);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(false);
  });
});
