import { Injectable } from '@nestjs/common';
import { badRequest, validateEmbeddingRequest } from '@tollgate/common';
import type { EmbeddingRequest } from '@tollgate/providers';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { admitTarget } from '../completion/admitted-target';
import { startCall } from '../completion/call-start';
import { setDurationHeaders } from '../completion/response-headers';
import { prepareAttempt, setRoutedHeaders } from '../completion/routed-attempt';
import { routedRequest } from '../completion/routing-options';
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
      const inputTokens = Math.ceil(JSON.stringify(body.input).length / 4);
      const { model, signal } = await admitTarget(this.runtime, request, reply, recorder, { requestedModel: body.model, inputTokens });
      const routing = routedRequest(request.identity, this.runtime.accessGroups, body, request.headers, { model, inputTokens, stream: false, signal });
      const upstreamStart = recorder.elapsedMs;
      const routed = await this.runtime.router.run(routing, async ({ deployment }) => {
        const prepared = prepareAttempt(this.runtime, deployment, body, 'embedding', recorder);
        const embeddings = prepared.provider.embeddings;
        if (!embeddings) throw badRequest(`Model "${body.model}" is served by ${prepared.provider.name}, which has no embeddings API in Tollgate.`, 'model', 'unsupported_operation');
        return { prepared, result: await embeddings.call(prepared.provider, deployment, prepared.body, { callId, signal }) };
      });
      setRoutedHeaders(reply, routed);
      const { result } = routed.value;
      const total = recorder.elapsedMs;
      // Tollgate's own time is what came before the upstream call; the answer is sent as received.
      setDurationHeaders(reply, upstreamStart, total);
      reply.header('x-litellm-response-cost', recorder.costOf(result.usage));
      const charged = recorder.succeeded(result.usage);
      routed.finish({ ok: true, tokens: result.usage?.totalTokens });
      if (charged) await charged;
      await reply.status(200).header('content-type', 'application/json').send(result.body);
    } catch (err) {
      recorder.failed(toGatewayError(err));
      throw err;
    }
  }
}
