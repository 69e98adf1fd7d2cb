import { randomUUID } from 'node:crypto';
import type { TokenUsage } from '../provider.types';
import { SSE_DONE, sseEvent } from './sse-event-splitter';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * Builds OpenAI `chat.completion.chunk` events for providers whose stream is in another format. It keeps
 * the invariants callers rely on: the first chunk carries the assistant role, tool calls are indexed in
 * arrival order, exactly one chunk carries a finish_reason, and usage comes once at the end when asked for.
 */
export class OpenAIChunkWriter {
  readonly id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
  private readonly created = Math.floor(Date.now() / 1000);
  private roleSent = false;
  private finished = false;
  private readonly toolIndex = new Map<string, number>();

  constructor(
    private readonly model: string,
    private readonly includeUsage: boolean,
  ) {}

  private chunk(delta: Record<string, unknown>, finishReason: FinishReason | null = null): Buffer {
    if (!this.roleSent) {
      delta = { role: 'assistant', ...delta };
      this.roleSent = true;
    }
    return sseEvent({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  }

  /** The opening chunk (role only); optional, the first content chunk carries the role otherwise. */
  start(): Buffer {
    return this.chunk({ content: '' });
  }

  text(delta: string): Buffer {
    return this.chunk({ content: delta });
  }

  /** Reasoning / thinking text, as DeepSeek and LiteLLM expose it. */
  reasoning(delta: string): Buffer {
    return this.chunk({ reasoning_content: delta });
  }

  /** A new tool call; `key` is the provider's own id or block index for it. */
  toolCallStart(key: string, id: string, name: string, initialArguments = ''): Buffer {
    const index = this.toolIndex.size;
    this.toolIndex.set(key, index);
    return this.chunk({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: initialArguments } }] });
  }

  /** More argument JSON for the tool call started under `key`. */
  toolCallArguments(key: string, fragment: string): Buffer {
    const index = this.toolIndex.get(key) ?? 0;
    return this.chunk({ tool_calls: [{ index, function: { arguments: fragment } }] });
  }

  get hasToolCalls(): boolean {
    return this.toolIndex.size > 0;
  }

  /** The one chunk with a finish_reason; later calls return nothing. */
  finish(reason: FinishReason): Buffer | undefined {
    if (this.finished) return undefined;
    this.finished = true;
    return this.chunk({}, reason);
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** The closing events: the usage chunk (when the caller asked for it) and `[DONE]`. */
  end(usage: TokenUsage | undefined): Buffer[] {
    const events: Buffer[] = [];
    if (this.includeUsage && usage) {
      events.push(
        sseEvent({
          id: this.id,
          object: 'chat.completion.chunk',
          created: this.created,
          model: this.model,
          choices: [],
          usage: openAIUsage(usage),
        }),
      );
    }
    events.push(SSE_DONE);
    return events;
  }
}

export interface OpenAIUsageBody {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export function openAIUsage(usage: TokenUsage): OpenAIUsageBody {
  const body: OpenAIUsageBody = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedPromptTokens !== undefined) body.prompt_tokens_details = { cached_tokens: usage.cachedPromptTokens };
  if (usage.reasoningTokens !== undefined) body.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return body;
}

export interface ToolCallOut {
  id: string;
  name: string;
  /** JSON text of the arguments. */
  arguments: string;
}

/** A whole OpenAI `chat.completion` body from a provider's translated answer. */
export function chatCompletionBody(answer: {
  model: string;
  content: string | null;
  reasoning?: string;
  toolCalls?: ToolCallOut[];
  finishReason: FinishReason;
  usage?: TokenUsage;
  extra?: Record<string, unknown>;
}): Buffer {
  const message: Record<string, unknown> = { role: 'assistant', content: answer.content };
  if (answer.reasoning) message.reasoning_content = answer.reasoning;
  if (answer.toolCalls && answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  }
  return Buffer.from(
    JSON.stringify({
      id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: answer.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
      ...(answer.usage ? { usage: openAIUsage(answer.usage) } : {}),
      ...answer.extra,
    }),
  );
}
