import type { TokenUsage } from '../provider.types';
import { OpenAIChunkWriter } from '../shared/openai-chunks';
import type { OllamaResponse } from './ollama.types';
import { ollamaFinishReason, ollamaUsage, toolArguments, toolCallId } from './response-translator';

/**
 * Translates Ollama's streamed objects (one NDJSON line each, from `/api/chat` or `/api/generate`) into
 * OpenAI chunk events, one object at a time: thinking -> reasoning, content / response -> content, tool
 * calls (which Ollama sends whole) -> a tool-call chunk each, and the final `done: true` object -> the
 * finish_reason and usage.
 */
export class OllamaStreamTranslator {
  private readonly writer: OpenAIChunkWriter;
  private usage: TokenUsage | undefined;
  private done = false;
  private toolCalls = 0;

  constructor(model: string, includeUsage: boolean) {
    this.writer = new OpenAIChunkWriter(model, includeUsage);
  }

  push(line: OllamaResponse): Buffer[] {
    const out: Buffer[] = [];
    const thinking = line.message?.thinking ?? line.thinking;
    if (thinking) out.push(this.writer.reasoning(thinking));
    const text = line.message?.content ?? line.response;
    if (text) out.push(this.writer.text(text));
    for (const call of line.message?.tool_calls ?? []) {
      const key = String(this.toolCalls++);
      out.push(this.writer.toolCallStart(key, toolCallId(call), call.function?.name ?? '', toolArguments(call)));
    }
    if (line.done === true) {
      this.done = true;
      this.usage = ollamaUsage(line) ?? this.usage;
      const finish = this.writer.finish(ollamaFinishReason(line.done_reason, this.writer.hasToolCalls));
      if (finish) out.push(finish);
    }
    return out;
  }

  /** True once the `done: true` object arrived: a stream that closes before it was cut off. */
  get complete(): boolean {
    return this.done;
  }

  /** The closing events (usage chunk when asked for, then `[DONE]`). */
  end(): Buffer[] {
    return this.writer.end(this.usage);
  }

  tokenUsage(): TokenUsage | undefined {
    return this.usage;
  }
}
