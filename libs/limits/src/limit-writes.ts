import type Redis from 'ioredis';

/**
 * Runs `send`, which issues a request's end-of-request charges (its limiter settlement and its budget
 * addition) synchronously. Returns a promise that resolves once they have been handed to the connection's
 * socket, or undefined when they already have: the request's answer waits for it, so that the next request,
 * on any replica, is checked against a spend that includes this one.
 */
export type WriteTogether = (send: () => void) => Promise<void> | undefined;

/** For stores without a connection (memory): the charges are applied as `send` runs. */
export const writeEach: WriteTogether = (send) => {
  send();
  return undefined;
};

/**
 * Gathers the charges of every request that ends in one event-loop turn into one socket write, at the end of
 * the turn (setImmediate, after the turn's I/O callbacks). Written one by one they cost a syscall each, as much
 * CPU as writing the answer itself under load; outside auto-pipelining (see limitsRedisOptions) nothing else
 * gathers them. The answers of those requests wait for the write, a few microseconds when the gateway is idle.
 * A connection that is not ready queues commands itself, so they are not held here.
 */
export function turnBatchedWrites(client: Redis): WriteTogether {
  let written: Promise<void> | undefined;
  return (send) => {
    if (!written) {
      const stream = client.status === 'ready' ? client.stream : undefined;
      if (!stream) return writeEach(send);
      stream.cork();
      written = new Promise<void>((resolve) =>
        setImmediate(() => {
          written = undefined;
          stream.uncork();
          resolve();
        }),
      );
    }
    send();
    return written;
  };
}
