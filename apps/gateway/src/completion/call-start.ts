import { callIdFrom } from '@tollgate/common';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { GatewayRuntime } from '../gateway-runtime';
import { RequestLogRecorder } from './request-log-recorder';

/** Gives a request its call id (echoed in headers) and the recorder that will log it, whatever happens. */
export function startCall(runtime: GatewayRuntime, request: AuthenticatedRequest, reply: FastifyReply, model: string, stream: boolean) {
  const callId = callIdFrom(request.headers['x-litellm-call-id']);
  reply.header('x-litellm-call-id', callId);
  reply.header('x-request-id', callId);
  const recorder = new RequestLogRecorder(runtime.requestLog, {
    callId,
    keyHash: request.identity.keyHash,
    route: request.routeOptions.url ?? request.url,
    requestedModel: model,
    stream,
  });
  return { callId, recorder };
}
