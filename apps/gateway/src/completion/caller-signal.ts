import type { FastifyReply } from 'fastify';

/** A signal that fires when the caller hangs up before the response is complete (cancels the upstream call). */
export function callerSignal(reply: FastifyReply): AbortSignal {
  const caller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) caller.abort();
  });
  return caller.signal;
}
