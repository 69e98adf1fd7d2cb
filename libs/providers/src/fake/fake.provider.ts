import { createHash, randomUUID } from 'node:crypto';
import type { LitellmParams } from '@tollgate/config';
import { abortableSleep, clientClosed, type CancelSignal } from '@tollgate/common';
import { SSE_DONE, sseEvent } from '../shared/sse-event-splitter';
import type {
  CallContext,
  ChatCompletionRequest,
  ChatCompletionResult,
  ChatCompletionStream,
  Deployment,
  EmbeddingRequest,
  EmbeddingResult,
  ProviderAdapter,
  ProviderCapabilities,
} from '../provider.types';
import { ALL_OPENAI_CHAT_PARAMS } from '../shared/openai-params';
import { answerPieces, countTokens, fakeAnswer, fakeUsage } from './fake-answer';

/**
 * The built-in `fake/<name>` model: answers in-process with a deterministic message and token usage, so a
 * newcomer sees a real answer with no provider account, and tests and benchmarks have an upstream with no
 * network. `mock_response` fixes the answer; `latency_ms` delays the first byte; `chunk_delay_ms` spaces
 * stream chunks.
 */
export class FakeProvider implements ProviderAdapter {
  readonly name = 'fake';
  readonly capabilities: ProviderCapabilities = {
    // The fake ignores sampling settings but must accept whatever a client sends, as a real model would.
    chatParams: ALL_OPENAI_CHAT_PARAMS,
    embeddingParams: new Set(['dimensions', 'encoding_format', 'user']),
    features: { systemPrompt: true, vision: false, tools: false, parallelToolCalls: false, jsonOutput: false, streaming: true, streamUsage: true },
    credentials: 'none',
    modelFormat: '`fake/<any name>`',
  };

  validate(params: LitellmParams): Array<{ path: string; message: string }> {
    const problems: Array<{ path: string; message: string }> = [];
    for (const key of ['latency_ms', 'chunk_delay_ms'] as const) {
      const value = params[key];
      if (value !== undefined && !(typeof value === 'number' && value >= 0)) {
        problems.push({ path: key, message: 'expected a number of milliseconds >= 0' });
      }
    }
    if (params.mock_response !== undefined && typeof params.mock_response !== 'string') {
      problems.push({ path: 'mock_response', message: 'expected a string' });
    }
    return problems;
  }

  displayApiBase(): undefined {
    return undefined;
  }

  async chatCompletion(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    await this.delay(deployment.params.latency_ms, context.signal);
    const answer = fakeAnswer(request, deployment.upstreamModel, deployment.params.mock_response);
    const usage = fakeUsage(request, answer);
    const body = {
      id: completionId(),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: deployment.upstreamModel,
      choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.totalTokens },
    };
    return { body: Buffer.from(JSON.stringify(body)), usage, status: 200 };
  }

  async chatCompletionStream(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    await this.delay(deployment.params.latency_ms, context.signal);
    const answer = fakeAnswer(request, deployment.upstreamModel, deployment.params.mock_response);
    const usage = fakeUsage(request, answer);
    const includeUsage = request.stream_options?.include_usage === true;
    const chunkDelay = deployment.params.chunk_delay_ms;
    const id = completionId();
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: object, finishReason: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: deployment.upstreamModel,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
    const self = this;

    async function* events(): AsyncGenerator<Buffer> {
      yield sseEvent(chunk({ role: 'assistant', content: '' }, null));
      for (const piece of answerPieces(answer)) {
        await self.delay(chunkDelay, context.signal);
        yield sseEvent(chunk({ content: piece }, null));
      }
      yield sseEvent(chunk({}, 'stop'));
      if (includeUsage) {
        yield sseEvent({
          id,
          object: 'chat.completion.chunk',
          created,
          model: deployment.upstreamModel,
          choices: [],
          usage: { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.totalTokens },
        });
      }
      yield SSE_DONE;
    }

    return { events: events(), usage: () => usage };
  }

  /** Deterministic unit vectors derived from a hash of each input (8 dimensions unless `dimensions` says). */
  async embeddings(deployment: Deployment, request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    await this.delay(deployment.params.latency_ms, context.signal);
    const inputs = typeof request.input === 'string' || typeof request.input[0] === 'number' ? [request.input] : (request.input as Array<string | number[]>);
    const size = typeof request.dimensions === 'number' && request.dimensions > 0 ? Math.min(request.dimensions, 256) : 8;
    let tokens = 0;
    const data = inputs.map((input, index) => {
      const text = typeof input === 'string' ? input : input.join(' ');
      tokens += typeof input === 'string' ? countTokens(input) : input.length;
      return { object: 'embedding', index, embedding: fakeVector(text, size) };
    });
    const body = { object: 'list', data, model: deployment.upstreamModel, usage: { prompt_tokens: tokens, total_tokens: tokens } };
    return { body: Buffer.from(JSON.stringify(body)), usage: { promptTokens: tokens, completionTokens: 0, totalTokens: tokens }, status: 200 };
  }

  private async delay(ms: unknown, signal: CancelSignal): Promise<void> {
    if (typeof ms !== 'number' || ms <= 0) return;
    await abortableSleep(ms, signal);
    if (signal.aborted) throw clientClosed();
  }
}

/** randomUUID draws from a cached entropy pool; randomBytes would make a system call per answer. */
function fakeVector(text: string, size: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < size; block++) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i + 1 < digest.length && values.length < size; i += 2) values.push(digest.readUInt16BE(i) / 65535 - 0.5);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => Number((v / norm).toFixed(6)));
}

function completionId(): string {
  return `chatcmpl-${randomUUID().replace(/-/g, '')}`;
}
