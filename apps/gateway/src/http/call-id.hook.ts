import { newCallId } from '@tollgate/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The gateway's id for this request, sent back in `x-litellm-call-id` and `x-request-id`. */
    callId: string;
  }
}

/**
 * Gives every request a call id before anything else runs, so that every response (401s and validation
 * errors included) carries it and logs can be matched to it.
 */
export function installCallIdHook(fastify: FastifyInstance): void {
  fastify.decorateRequest('callId', '');
  fastify.addHook('onRequest', (request: FastifyRequest, reply, done) => {
    const callId = newCallId();
    request.callId = callId;
    void reply.header('x-litellm-call-id', callId).header('x-request-id', callId);
    done();
  });
}
