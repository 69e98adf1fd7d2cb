import type { TokenUsage } from '../provider.types';
import { OpenAIChunkWriter, type FinishReason } from '../shared/openai-chunks';
import type { AnthropicUsage } from './anthropic.types';
import { finishReasonOf, usageFromAnthropic } from './response-translator';

/** Anthropic error `type` to the HTTP status the API uses for it (docs.anthropic.com/en/api/errors). */
export function anthropicErrorStatus(type: string | undefined): number {
  switch (type) {
    case 'invalid_request_error':
      return 400;
    case 'authentication_error':
      return 401;
    case 'billing_error':
      return 402;
    case 'permission_error':
      return 403;
    case 'not_found_error':
      return 404;
    case 'request_too_large':
      return 413;
    case 'rate_limit_error':
      return 429;
    case 'timeout_error':
      return 504;
    case 'overloaded_error':
      return 529;
    default:
      return 500;
  }
}

/** An `error` event inside a stream that had already begun (Anthropic sends these after the 200). */
export class AnthropicStreamError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'AnthropicStreamError';
  }
}

export interface AnthropicStreamOptions {
  /** Model name for the chunks. */
  model: string;
  /** The caller asked for a usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** The `json_schema` tool (see toAnthropicRequest), whose arguments are streamed as message content. */
  jsonToolName?: string;
}

type BlockKind = 'text' | 'tool' | 'json' | 'thinking' | 'other';

interface StreamEvent {
  type?: string;
  index?: number;
  message?: { model?: string; usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string };
  delta?: { type?: string; text?: string; partial_json?: string; thinking?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

/**
 * Anthropic Messages stream events to OpenAI `chat.completion.chunk` events, one native event at a time
 * (nothing already seen is parsed again). Tool calls are indexed in the order their `tool_use` blocks
 * start; exactly one chunk carries the finish_reason; `message_stop` ends the stream with the usage chunk
 * (when asked for) and `[DONE]`. An `error` event throws an AnthropicStreamError.
 *
 * Thinking text streams as `reasoning_content`; signatures (`signature_delta`) are not forwarded, since
 * OpenAI's chunk format has no field for them (non-streaming responses keep them in `thinking_blocks`).
 */
export class AnthropicStreamTranslator {
  private readonly writer: OpenAIChunkWriter;
  private readonly blocks = new Map<number, { kind: BlockKind; hasArguments: boolean }>();
  private usageSoFar: AnthropicUsage | undefined;
  private answeredAsJson = false;
  private stopped = false;

  constructor(private readonly options: AnthropicStreamOptions) {
    this.writer = new OpenAIChunkWriter(options.model, options.includeUsage);
  }

  /** True once `message_stop` arrived: the stream is complete. */
  get done(): boolean {
    return this.stopped;
  }

  usage(): TokenUsage | undefined {
    return usageFromAnthropic(this.usageSoFar);
  }

  /** Translates one event's `data` JSON into the OpenAI events it produces (often none). */
  push(data: string): Buffer[] {
    const event = JSON.parse(data) as StreamEvent;
    switch (event.type) {
      case 'message_start':
        this.usageSoFar = { ...event.message?.usage };
        return [this.writer.start()];
      case 'content_block_start':
        return this.blockStart(event.index ?? 0, event.content_block ?? {});
      case 'content_block_delta':
        return this.blockDelta(event.index ?? 0, event.delta ?? {});
      case 'content_block_stop':
        return this.blockStop(event.index ?? 0);
      case 'message_delta':
        // message_delta usage is cumulative: its counts replace what message_start said.
        if (event.usage) this.usageSoFar = Object.assign({}, this.usageSoFar, definedCounts(event.usage));
        return event.delta?.stop_reason ? this.finish(this.finishReason(event.delta.stop_reason)) : [];
      case 'message_stop':
        this.stopped = true;
        return [...this.finish('stop'), ...this.writer.end(this.usage())];
      case 'error':
        throw new AnthropicStreamError(anthropicErrorStatus(event.error?.type), event.error?.type ?? 'api_error', event.error?.message ?? 'The upstream stream failed.');
      default:
        // ping, and event types added to the API later, carry nothing to translate.
        return [];
    }
  }

  private blockStart(index: number, block: NonNullable<StreamEvent['content_block']>): Buffer[] {
    if (block.type === 'tool_use') {
      if (this.options.jsonToolName !== undefined && block.name === this.options.jsonToolName) {
        this.blocks.set(index, { kind: 'json', hasArguments: false });
        this.answeredAsJson = true;
        return [];
      }
      this.blocks.set(index, { kind: 'tool', hasArguments: false });
      return [this.writer.toolCallStart(String(index), String(block.id), String(block.name))];
    }
    const kind: BlockKind = block.type === 'text' ? 'text' : block.type === 'thinking' ? 'thinking' : 'other';
    this.blocks.set(index, { kind, hasArguments: false });
    return kind === 'text' && block.text ? [this.writer.text(block.text)] : [];
  }

  private blockDelta(index: number, delta: NonNullable<StreamEvent['delta']>): Buffer[] {
    const block = this.blocks.get(index);
    switch (delta.type) {
      case 'text_delta':
        return delta.text ? [this.writer.text(delta.text)] : [];
      case 'thinking_delta':
        return delta.thinking ? [this.writer.reasoning(delta.thinking)] : [];
      case 'input_json_delta':
        if (!delta.partial_json || !block) return [];
        block.hasArguments = true;
        if (block.kind === 'json') return [this.writer.text(delta.partial_json)];
        return block.kind === 'tool' ? [this.writer.toolCallArguments(String(index), delta.partial_json)] : [];
      default:
        // signature_delta, citations_delta: no OpenAI chunk field carries them.
        return [];
    }
  }

  private blockStop(index: number): Buffer[] {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    // A tool called without input streams no argument fragment; OpenAI clients expect JSON text.
    if (block && !block.hasArguments) {
      if (block.kind === 'tool') return [this.writer.toolCallArguments(String(index), '{}')];
      if (block.kind === 'json') return [this.writer.text('{}')];
    }
    return [];
  }

  private finishReason(stopReason: string): FinishReason {
    const reason = finishReasonOf(stopReason);
    return reason === 'tool_calls' && this.answeredAsJson && !this.writer.hasToolCalls ? 'stop' : reason;
  }

  private finish(reason: FinishReason): Buffer[] {
    const chunk = this.writer.finish(reason);
    return chunk ? [chunk] : [];
  }
}

function definedCounts(usage: AnthropicUsage): AnthropicUsage {
  const out: AnthropicUsage = {};
  for (const [key, value] of Object.entries(usage)) if (typeof value === 'number') out[key] = value;
  return out;
}
