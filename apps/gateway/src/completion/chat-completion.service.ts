import { Injectable } from '@nestjs/common';
import { GatewayError, badRequest, callIdFrom, validateChatRequest } from '@tollgate/common';
import { findProvider, type CallContext, type ChatCompletionRequest, type Deployment, type ProviderAdapter } from '@tollgate/providers';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { GatewayRuntime } from '../gateway-runtime';
import { RequestLogRecorder } from './request-log-recorder';
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
    const callId = callIdFrom(request.headers['x-litellm-call-id']);
    reply.header('x-litellm-call-id', callId);
    reply.header('x-request-id', callId);
    validateChatRequest(request.body);
    const body = request.body as ChatCompletionRequest;
    const recorder = new RequestLogRecorder(this.runtime.requestLog, {
      callId,
      keyHash: request.identity.keyHash,
      route: request.routeOptions.url ?? request.url,
      requestedModel: body.model,
      stream: body.stream === true,
    });
    try {
      const deployment = this.pickDeployment(body.model);
      recorder.useDeployment(deployment);
      setDeploymentHeaders(reply, deployment);
      const provider = findProvider(deployment.provider) as ProviderAdapter;
      const caller = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) caller.abort();
      });
      const call: CompletionCall = { provider, deployment, body, context: { callId, signal: caller.signal }, recorder, reply };
      if (body.stream === true) await this.stream(call);
      else await this.complete(call);
    } catch (err) {
      if (err instanceof GatewayError) recorder.failed(err);
      throw err;
    }
  }

  private pickDeployment(model: string): Deployment {
    const deployment = this.runtime.registry.pick(model);
    if (deployment) return deployment;
    const names = this.runtime.registry.modelNames();
    throw badRequest(
      `Invalid model name passed in model=${model}. Available models: ${names.length ? names.join(', ') : '(none configured)'}. ` +
        'GET /v1/models lists the models your key can use.',
      'model',
      'model_not_found',
    );
  }

  private async complete({ provider, deployment, body, context, recorder, reply }: CompletionCall): Promise<void> {
    const upstreamStart = recorder.elapsedMs;
    const result = await provider.chatCompletion(deployment, body, context);
    const upstreamMs = recorder.elapsedMs - upstreamStart;
    const total = recorder.elapsedMs;
    setDurationHeaders(reply, total - upstreamMs, total);
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
