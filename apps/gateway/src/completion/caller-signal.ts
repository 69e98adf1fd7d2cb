import type { FastifyReply } from 'fastify';
import { CancelSource, type CancelSignal } from '@tollgate/common';

/** A signal that fires when the caller hangs up before the response is complete (cancels the upstream call). */
export function callerSignal(reply: FastifyReply): CancelSignal {
  const caller = new CancelSource();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) caller.abort();
  });
  return caller.signal;
}
