import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendToChild } from './child-ipc';

/**
 * A real child that closes its channel, and a parent that writes to it before it has seen the close: the
 * parent's `connected` is still true, and the write fails with EPIPE, as when the primary's heartbeat or
 * shutdown message meets a child that has just exited.
 */
async function childThatHasJustClosed(): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'fixtures', 'closing-child.js'), { stdio: 'ignore' });
  const [message] = await once(child, 'message');
  expect(message).toBe('closing');
  // The close is in flight; wait for it synchronously so the parent cannot process it yet.
  const until = Date.now() + 300;
  while (Date.now() < until);
  expect(child.connected).toBe(true);
  return child;
}

describe('sendToChild', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('hands a failed write to the caller instead of emitting an error nothing listens to', async () => {
    child = await childThatHasJustClosed();
    const emitted: Error[] = [];
    child.on('error', (error) => emitted.push(error));
    const failed = new Promise<Error>((resolve) => sendToChild(child as ChildProcess, { type: 'x' }, resolve));
    const error = await failed;
    expect((error as NodeJS.ErrnoException).code).toMatch(/EPIPE|ECONNRESET|ERR_IPC_CHANNEL_CLOSED/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toEqual([]);
  });

  it('is silent by default: the child is gone, its exit is handled elsewhere', async () => {
    child = await childThatHasJustClosed();
    const emitted: Error[] = [];
    child.on('error', (error) => emitted.push(error));
    sendToChild(child, { type: 'x' });
    await once(child, 'disconnect');
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toEqual([]);
  });

  it('(the defect it prevents) a plain send to such a child emits an error event', async () => {
    child = await childThatHasJustClosed();
    const emitted = once(child, 'error');
    child.send({ type: 'x' });
    const [error] = await emitted;
    expect((error as NodeJS.ErrnoException).code).toMatch(/EPIPE|ECONNRESET|ERR_IPC_CHANNEL_CLOSED/);
  });
});
