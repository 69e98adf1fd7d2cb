import type { CallerIdentity } from '@tollgate/auth';
import { clientCallIdFrom } from '@tollgate/common';
import { endUserIdOf } from '@tollgate/tenancy';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { GatewayRuntime } from '../gateway-runtime';
import { RequestLogRecorder } from './request-log-recorder';

/** The request's `metadata.tags` (LiteLLM) followed by the key's tags; undefined when there are none. */
function spendTags(identity: CallerIdentity, body: unknown): string[] | undefined {
  const metadata = body && typeof body === 'object' ? (body as { metadata?: unknown }).metadata : undefined;
  const requested = metadata && typeof metadata === 'object' ? (metadata as { tags?: unknown }).tags : undefined;
  const fromRequest = Array.isArray(requested) ? requested.filter((tag): tag is string => typeof tag === 'string') : [];
  const fromKey = identity.key?.tags ?? [];
  if (fromRequest.length === 0) return fromKey.length > 0 ? fromKey : undefined;
  return fromKey.length > 0 ? [...fromRequest, ...fromKey] : fromRequest;
}

/** The recorder that will log this request, whatever happens (its call id was set by the call-id hook). */
export function startCall(runtime: GatewayRuntime, request: AuthenticatedRequest, model: string, stream: boolean) {
  const callId = request.callId;
  const { identity } = request;
  const recorder = new RequestLogRecorder(runtime.requestLog, {
    callId,
    clientCallId: clientCallIdFrom(request.headers['x-litellm-call-id']),
    keyHash: identity.keyHash,
    route: request.routeOptions.url ?? request.url,
    requestedModel: model,
    stream,
    userId: identity.user?.id,
    teamId: identity.team?.id,
    organizationId: identity.organization?.id,
    endUserId: endUserIdOf(request.headers, request.body),
    tags: spendTags(identity, request.body),
  });
  return { callId, recorder };
}
