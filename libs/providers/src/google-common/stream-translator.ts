import type { TokenUsage } from '../provider.types';
import { OpenAIChunkWriter } from '../shared/openai-chunks';
import type { GeminiResponse } from './gemini.types';
import { finishReasonOf, partOutput, usageOf } from './response-translator';

/**
 * Translates `streamGenerateContent?alt=sse` events (each a partial GenerateContentResponse) into OpenAI
 * chunks, one event at a time. Text and thought parts are deltas already; a function call arrives whole in
 * one part, so it becomes a tool-call chunk carrying all its arguments. `usageMetadata` is cumulative, so the
 * last one seen is the stream's usage. The finish chunk goes out with the event carrying `finishReason` (or
 * a prompt block), and `end()` closes the stream with the usage chunk (when asked for) and `[DONE]`.
 */
export class GeminiStreamTranslator {
  private readonly writer: OpenAIChunkWriter;
  private lastUsage: TokenUsage | undefined;
  private toolCalls = 0;

  constructor(model: string, includeUsage: boolean) {
    this.writer = new OpenAIChunkWriter(model, includeUsage);
  }

  /** OpenAI events for one Gemini event. Throws the upstream's message when the event is an error. */
  push(event: GeminiResponse): Buffer[] {
    if (event.error) throw new GeminiStreamError(event.error);
    const out: Buffer[] = [];
    this.lastUsage = usageOf(event.usageMetadata) ?? this.lastUsage;
    const candidate = event.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      const piece = partOutput(part);
      if (!piece) continue;
      if ('text' in piece) {
        if (piece.text !== '') out.push(this.writer.text(piece.text));
      } else if ('reasoning' in piece) {
        out.push(this.writer.reasoning(piece.reasoning));
      } else {
        const call = piece.toolCall;
        out.push(this.writer.toolCallStart(String(this.toolCalls++), call.id, call.function.name, call.function.arguments));
      }
    }
    if (candidate?.finishReason) {
      const finish = this.writer.finish(finishReasonOf(candidate.finishReason, this.writer.hasToolCalls));
      if (finish) out.push(finish);
    } else if (event.promptFeedback?.blockReason && !candidate) {
      const finish = this.writer.finish('content_filter');
      if (finish) out.push(finish);
    }
    return out;
  }

  /** True once the finish chunk went out: a stream that ends before that was cut short. */
  get finished(): boolean {
    return this.writer.isFinished;
  }

  /** The closing events: usage (when the caller asked) and `[DONE]`. */
  end(): Buffer[] {
    return this.writer.end(this.lastUsage);
  }

  get usage(): TokenUsage | undefined {
    return this.lastUsage;
  }
}

/** An error event inside a Gemini stream, with Google's status fields. */
export class GeminiStreamError extends Error {
  constructor(readonly detail: { code?: number; message?: string; status?: string }) {
    super(detail.message ?? `the upstream stream failed (${detail.status ?? detail.code ?? 'unknown error'})`);
  }
}
