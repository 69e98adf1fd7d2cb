import type { TokenUsage } from '../provider.types';
import { OpenAIChunkWriter } from '../shared/openai-chunks';
import type { CohereStreamEvent } from './cohere.types';
import { cohereFinishReason, cohereUsage } from './response-translator';

/**
 * Translates Cohere v2 chat stream events into OpenAI chunk events, one event at a time:
 * `content-delta` -> content (or reasoning for thinking parts), `tool-plan-delta` -> content,
 * `tool-call-start` / `tool-call-delta` -> streamed tool calls, `message-end` -> the finish_reason and usage.
 * Citations, `*-start` / `*-end` markers and unknown events produce nothing.
 */
export class CohereStreamTranslator {
  private readonly writer: OpenAIChunkWriter;
  private usage: TokenUsage | undefined;
  private ended = false;

  constructor(model: string, includeUsage: boolean) {
    this.writer = new OpenAIChunkWriter(model, includeUsage);
  }

  /** The OpenAI events for one Cohere event (`type` from the data, else the SSE event name). */
  push(event: CohereStreamEvent, eventName?: string): Buffer[] {
    const message = event.delta?.message;
    switch (event.type ?? eventName) {
      case 'message-start':
        return [this.writer.start()];
      case 'content-delta': {
        const content = message?.content;
        if (!content || Array.isArray(content)) return [];
        if (typeof content.text === 'string' && content.text) return [this.writer.text(content.text)];
        if (typeof content.thinking === 'string' && content.thinking) return [this.writer.reasoning(content.thinking)];
        return [];
      }
      case 'tool-plan-delta':
        return message?.tool_plan ? [this.writer.text(message.tool_plan)] : [];
      case 'tool-call-start': {
        const call = message?.tool_calls;
        const key = String(event.index ?? 0);
        const id = call?.id ?? `call_${key}`;
        return [this.writer.toolCallStart(key, id, call?.function?.name ?? '', call?.function?.arguments ?? '')];
      }
      case 'tool-call-delta': {
        const fragment = message?.tool_calls?.function?.arguments;
        return fragment ? [this.writer.toolCallArguments(String(event.index ?? 0), fragment)] : [];
      }
      case 'message-end': {
        this.ended = true;
        this.usage = cohereUsage(event.delta?.usage) ?? this.usage;
        const finish = this.writer.finish(cohereFinishReason(event.delta?.finish_reason, this.writer.hasToolCalls, event.delta?.error));
        return finish ? [finish] : [];
      }
      default:
        return [];
    }
  }

  /** True once `message-end` arrived: a stream that closes before it was cut off. */
  get complete(): boolean {
    return this.ended;
  }

  /** The closing events (usage chunk when asked for, then `[DONE]`). */
  end(): Buffer[] {
    return this.writer.end(this.usage);
  }

  tokenUsage(): TokenUsage | undefined {
    return this.usage;
  }
}
