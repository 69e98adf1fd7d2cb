import { Injectable } from '@nestjs/common';
import { validateChatRequest } from '@tollgate/common';
import type { ChatCompletionRequest, ChatCompletionResult } from '@tollgate/providers';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { GatewayRuntime } from '../gateway-runtime';
import { toGatewayError } from '../errors/to-gateway-error';
import { admitTarget } from './admitted-target';
import { estimatePromptTokens } from '@tollgate/limits';
import { startCall } from './call-start';
import { setDurationHeaders } from './response-headers';
import { primedStream } from './primed-stream';
import { prepareAttempt, setRoutedHeaders } from './routed-attempt';
import { routedRequest } from './routing-options';
import { sendSseResponse } from './sse-response';

/** Serves one chat completion: validate, admit, route to a deployment (retries, fallbacks), answer, record. */
@Injectable()
export class ChatCompletionService {
  constructor(private readonly runtime: GatewayRuntime) {}

  async handle(request: AuthenticatedRequest, reply: FastifyReply): Promise<void> {
    validateChatRequest(request.body);
    const body = request.body as ChatCompletionRequest;
    const stream = body.stream === true;
    const { callId, recorder } = startCall(this.runtime, request, body.model, stream);
    try {
      const inputTokens = estimatePromptTokens(body.messages);
      const { model, signal } = await admitTarget(this.runtime, request, reply, recorder, { requestedModel: body.model, inputTokens });
      const routing = routedRequest(request.identity, this.runtime.accessGroups, body, request.headers, { model, inputTokens, stream, signal });
      const upstreamStart = recorder.elapsedMs;
      const routed = await this.runtime.router.run(routing, async ({ deployment }) => {
        const prepared = prepareAttempt(this.runtime, deployment, body, 'chat', recorder);
        const context = { callId, signal };
        if (stream) return { prepared, stream: await primedStream(await prepared.provider.chatCompletionStream(deployment, prepared.body, context)) };
        return { prepared, result: await prepared.provider.chatCompletion(deployment, prepared.body, context) };
      });
      setRoutedHeaders(reply, routed);
      const { result, stream: events } = routed.value;
      if (events) {
        // Time spent in the gateway before the upstream was called and after its first chunk (headers go out now).
        setDurationHeaders(reply, upstreamStart, recorder.elapsedMs);
        recorder.onFinish((usage, _spend, status) => routed.finish({ ok: status === 200, tokens: usage?.totalTokens }));
        await sendSseResponse(reply, events, recorder, () => signal.aborted, { request: body, deployment: routed.deployment });
        return;
      }
      const answer = result as ChatCompletionResult;
      const total = recorder.elapsedMs;
      setDurationHeaders(reply, upstreamStart, total);
      reply.header('x-litellm-response-cost', recorder.costOf(answer.usage));
      const charged = recorder.succeeded(answer.usage);
      routed.finish({ ok: true, tokens: answer.usage?.totalTokens });
      if (charged) await charged;
      await reply.status(200).header('content-type', 'application/json').send(answer.body);
    } catch (err) {
      recorder.failed(toGatewayError(err));
      throw err;
    }
  }
}
