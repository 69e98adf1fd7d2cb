import type Redis from 'ioredis';

/**
 * Runs `send`, which issues a request's end-of-request charges (its limiter settlement and its budget
 * addition) synchronously; the commands it issues leave together.
 */
export type WriteTogether = (send: () => void) => void;

/** For stores without a connection (memory): nothing to gather. */
export const writeEach: WriteTogether = (send) => send();

/**
 * The charges of a request go to Redis before its answer, outside auto-pipelining (see limitsRedisOptions),
 * which made them two socket writes per request. Corking the connection for the duration of `send` makes
 * them one, still written before `send` returns. A connection that is not ready queues commands itself.
 */
export function corkedWrites(client: Redis): WriteTogether {
  return (send) => {
    const stream = client.status === 'ready' ? client.stream : undefined;
    if (!stream) {
      send();
      return;
    }
    stream.cork();
    try {
      send();
    } finally {
      stream.uncork();
    }
  };
}
