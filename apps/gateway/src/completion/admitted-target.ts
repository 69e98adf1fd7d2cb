import type { FastifyReply } from 'fastify';
import { endUserIdOf } from '@tollgate/tenancy';
import type { CancelSignal } from '@tollgate/common';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { GatewayRuntime } from '../gateway-runtime';
import { admitCall } from './admission';
import { callTarget } from './call-target';
import { callerSignal } from './caller-signal';
import type { RequestLogRecorder } from './request-log-recorder';

export interface AdmittedTarget {
  /** The model name after aliases and access checks, for the router. */
  model: string;
  /** Fires when the caller hangs up, to cancel the upstream call. */
  signal: CancelSignal;
}

/**
 * What every proxied call does before routing: resolve and authorize the requested model, then admit the call
 * through its owners' budgets and rate limits (throwing the refusal), keyed by the model group.
 */
export async function admitTarget(
  runtime: GatewayRuntime,
  request: AuthenticatedRequest,
  reply: FastifyReply,
  recorder: RequestLogRecorder,
  call: { requestedModel: string; inputTokens: number },
): Promise<AdmittedTarget> {
  const { identity } = request;
  const endUserId = endUserIdOf(request.headers, request.body);
  const { model, group } = callTarget(runtime, identity, call.requestedModel, endUserId);
  await admitCall({
    limiter: runtime.limits.limiter,
    budgets: runtime.limits.budgets,
    chargesTogether: runtime.limits.chargesTogether,
    identity,
    model: group,
    endUser: endUserId === undefined ? undefined : runtime.endUsers.limitsFor(endUserId),
    estimateTokens: () => call.inputTokens,
    reply,
    recorder,
  });
  return { model, signal: callerSignal(reply) };
}
