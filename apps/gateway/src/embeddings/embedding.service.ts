import { Injectable } from '@nestjs/common';
import { badRequest, validateEmbeddingRequest } from '@tollgate/common';
import { filterParams, type EmbeddingRequest } from '@tollgate/providers';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { endUserIdOf } from '@tollgate/tenancy';
import { callTarget, dropParamsFor } from '../completion/call-target';
import { callerSignal } from '../completion/caller-signal';
import { startCall } from '../completion/call-start';
import { admitRequest } from '../completion/rate-limit';
import { formatUsd } from '@tollgate/spend';
import { setDeploymentHeaders, setDurationHeaders } from '../completion/response-headers';
import { GatewayRuntime } from '../gateway-runtime';
import { toGatewayError } from '../errors/to-gateway-error';

/** Serves one embeddings request: validate, pick a deployment, call its provider, answer, record. */
@Injectable()
export class EmbeddingService {
  constructor(private readonly runtime: GatewayRuntime) {}

  async handle(request: AuthenticatedRequest, reply: FastifyReply): Promise<void> {
    validateEmbeddingRequest(request.body);
    const body = request.body as EmbeddingRequest;
    const { callId, recorder } = startCall(this.runtime, request, body.model, false);
    try {
      const { deployment, provider } = callTarget(this.runtime, request.identity, body.model, endUserIdOf(request.headers, body));
      recorder.useDeployment(deployment, (usage) => formatUsd(this.runtime.pricing.costFor(deployment, usage)));
      setDeploymentHeaders(reply, deployment);
      if (!provider.embeddings || !provider.capabilities.embeddingParams) {
        throw badRequest(`Model "${body.model}" is served by ${provider.name}, which has no embeddings API in Tollgate.`, 'model', 'unsupported_operation');
      }
      const { request: upstreamBody, dropped } = filterParams(
        body,
        'embedding',
        provider.capabilities.embeddingParams,
        provider.name,
        dropParamsFor(this.runtime, deployment, body.drop_params),
      );
      if (dropped.length > 0) reply.header('x-litellm-dropped-params', dropped.join(','));
      const estimate = Math.ceil(JSON.stringify(body.input).length / 4);
      const admission = await admitRequest(this.runtime.limiter, request.identity, deployment.modelName, estimate, reply);
      recorder.onUsage((usage) => admission.settle(usage?.totalTokens ?? 0));
      const upstreamStart = recorder.elapsedMs;
      const result = await provider.embeddings(deployment, upstreamBody, { callId, signal: callerSignal(reply) });
      const total = recorder.elapsedMs;
      // Tollgate's own time is what came before the upstream call; the answer is sent as received.
      setDurationHeaders(reply, upstreamStart, total);
      reply.header('x-litellm-response-cost', recorder.costOf(result.usage));
      recorder.succeeded(result.usage);
      await reply.status(200).header('content-type', 'application/json').send(result.body);
    } catch (err) {
      recorder.failed(toGatewayError(err));
      throw err;
    }
  }
}
