import { Injectable } from '@nestjs/common';
import { validateChatRequest } from '@tollgate/common';
import { filterParams, type CallContext, type ChatCompletionRequest, type Deployment, type ProviderAdapter } from '@tollgate/providers';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { GatewayRuntime } from '../gateway-runtime';
import { toGatewayError } from '../errors/to-gateway-error';
import { endUserIdOf } from '@tollgate/tenancy';
import { callTarget, dropParamsFor } from './call-target';
import { callerSignal } from './caller-signal';
import { admitRequest } from './rate-limit';
import { estimatePromptTokens } from '@tollgate/limits';
import { formatUsd } from '@tollgate/spend';
import type { RequestLogRecorder } from './request-log-recorder';
import { startCall } from './call-start';
import { setDeploymentHeaders, setDurationHeaders } from './response-headers';
import { sseResponseBody } from './sse-response';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** One chat completion in flight: who serves it and where the answer goes. */
interface CompletionCall {
  provider: ProviderAdapter;
  deployment: Deployment;
  body: ChatCompletionRequest;
  context: CallContext;
  recorder: RequestLogRecorder;
  reply: FastifyReply;
}

/** Serves one chat completion: validate, pick a deployment, call its provider, answer, record. */
@Injectable()
export class ChatCompletionService {
  constructor(private readonly runtime: GatewayRuntime) {}

  async handle(request: AuthenticatedRequest, reply: FastifyReply): Promise<void> {
    validateChatRequest(request.body);
    const body = request.body as ChatCompletionRequest;
    const { callId, recorder } = startCall(this.runtime, request, body.model, body.stream === true);
    try {
      const { deployment, provider } = callTarget(this.runtime, request.identity, body.model, endUserIdOf(request.headers, body));
      recorder.useDeployment(deployment, (usage) => formatUsd(this.runtime.pricing.costFor(deployment, usage)));
      setDeploymentHeaders(reply, deployment);
      const { request: upstreamBody, dropped } = filterParams(body, 'chat', provider.capabilities.chatParams, provider.name, dropParamsFor(this.runtime, deployment, body.drop_params));
      if (dropped.length > 0) reply.header('x-litellm-dropped-params', dropped.join(','));
      const admission = await admitRequest(this.runtime.limiter, request.identity, deployment.modelName, request.identity.isMaster ? 0 : estimatePromptTokens(body.messages), reply);
      recorder.onUsage((usage) => admission.settle(usage?.totalTokens ?? 0));
      const call: CompletionCall = { provider, deployment, body: upstreamBody, context: { callId, signal: callerSignal(reply) }, recorder, reply };
      if (body.stream === true) await this.stream(call);
      else await this.complete(call);
    } catch (err) {
      recorder.failed(toGatewayError(err));
      throw err;
    }
  }

  private async complete({ provider, deployment, body, context, recorder, reply }: CompletionCall): Promise<void> {
    const upstreamStart = recorder.elapsedMs;
    const result = await provider.chatCompletion(deployment, body, context);
    const upstreamMs = recorder.elapsedMs - upstreamStart;
    const total = recorder.elapsedMs;
    setDurationHeaders(reply, total - upstreamMs, total);
    reply.header('x-litellm-response-cost', recorder.costOf(result.usage));
    recorder.succeeded(result.usage);
    await reply.status(200).header('content-type', 'application/json').send(result.body);
  }

  private async stream({ provider, deployment, body, context, recorder, reply }: CompletionCall): Promise<void> {
    const upstreamStart = recorder.elapsedMs;
    const stream = await provider.chatCompletionStream(deployment, body, context);
    const upstreamReady = recorder.elapsedMs;
    // Time spent in the gateway before the upstream was called and after it answered (headers go out now).
    setDurationHeaders(reply, upstreamStart, upstreamReady);
    await reply
      .status(200)
      .headers(SSE_HEADERS)
      .send(sseResponseBody(stream, recorder, () => context.signal.aborted));
  }
}
