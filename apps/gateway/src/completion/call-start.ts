import { clientCallIdFrom } from '@tollgate/common';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { GatewayRuntime } from '../gateway-runtime';
import { RequestLogRecorder } from './request-log-recorder';

/** The recorder that will log this request, whatever happens (its call id was set by the call-id hook). */
export function startCall(runtime: GatewayRuntime, request: AuthenticatedRequest, model: string, stream: boolean) {
  const callId = request.callId;
  const recorder = new RequestLogRecorder(runtime.requestLog, {
    callId,
    clientCallId: clientCallIdFrom(request.headers['x-litellm-call-id']),
    keyHash: request.identity.keyHash,
    route: request.routeOptions.url ?? request.url,
    requestedModel: model,
    stream,
  });
  return { callId, recorder };
}
