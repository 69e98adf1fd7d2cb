import type { TokenUsage } from '../provider.types';
import { OpenAIChunkWriter, type FinishReason } from '../shared/openai-chunks';
import { JSON_TOOL_NAME } from './request-translator';
import { converseUsage, finishReason } from './response-translator';

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Turns ConverseStream events into OpenAI `chat.completion.chunk` events, one event at a time:
 * `messageStart` opens the assistant message, `contentBlockStart` with `toolUse` starts a tool call,
 * `contentBlockDelta` carries text, tool-input fragments or reasoning, `messageStop` gives the one
 * finish_reason, and `metadata` (which Bedrock sends after `messageStop`) the usage for the closing chunk.
 * In JSON mode the forced JSON tool's input fragments are streamed as content.
 */
export class ConverseStreamTranslator {
  private readonly writer: OpenAIChunkWriter;
  private readonly jsonBlocks = new Set<number>();
  private usage: TokenUsage | undefined;
  private stopped = false;

  constructor(
    model: string,
    includeUsage: boolean,
    private readonly jsonMode: boolean,
  ) {
    this.writer = new OpenAIChunkWriter(model, includeUsage);
  }

  push(eventType: string | undefined, payload: Payload): Buffer[] {
    switch (eventType) {
      case 'messageStart':
        return [this.writer.start()];
      case 'contentBlockStart':
        return this.blockStart(Number(payload.contentBlockIndex ?? 0), payload.start);
      case 'contentBlockDelta':
        return this.delta(Number(payload.contentBlockIndex ?? 0), payload.delta);
      case 'messageStop': {
        this.stopped = true;
        let reason: FinishReason = finishReason(payload.stopReason);
        if (reason === 'tool_calls' && this.jsonBlocks.size > 0 && !this.writer.hasToolCalls) reason = 'stop';
        const chunk = this.writer.finish(reason);
        return chunk ? [chunk] : [];
      }
      case 'metadata':
        this.usage = converseUsage(payload.usage) ?? this.usage;
        return [];
      default:
        // contentBlockStop, and events added to the API later, change nothing on the OpenAI side.
        return [];
    }
  }

  private blockStart(index: number, start: Payload | undefined): Buffer[] {
    const toolUse = start?.toolUse as { toolUseId?: string; name?: string } | undefined;
    if (!toolUse) return [];
    if (this.jsonMode && toolUse.name === JSON_TOOL_NAME) {
      this.jsonBlocks.add(index);
      return [];
    }
    return [this.writer.toolCallStart(String(index), toolUse.toolUseId ?? `call_${index}`, toolUse.name ?? '')];
  }

  private delta(index: number, delta: Payload | undefined): Buffer[] {
    if (!delta) return [];
    if (typeof delta.text === 'string') return delta.text === '' ? [] : [this.writer.text(delta.text)];
    const input = delta.toolUse?.input;
    if (typeof input === 'string') {
      if (input === '') return [];
      return [this.jsonBlocks.has(index) ? this.writer.text(input) : this.writer.toolCallArguments(String(index), input)];
    }
    const reasoning = delta.reasoningContent?.text;
    if (typeof reasoning === 'string' && reasoning !== '') return [this.writer.reasoning(reasoning)];
    // Reasoning signatures and redacted reasoning have no OpenAI chunk equivalent.
    return [];
  }

  /** The closing events (usage chunk when asked for, `[DONE]`); throws when Bedrock never said the message stopped. */
  end(): Buffer[] {
    if (!this.stopped) throw new Error('the upstream closed the stream before messageStop');
    return this.writer.end(this.usage);
  }

  tokenUsage(): TokenUsage | undefined {
    return this.usage;
  }
}
