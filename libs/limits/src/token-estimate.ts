/** Roughly four characters of English text per token for the GPT and Claude tokenizers. */
const CHARS_PER_TOKEN = 4;
/** Role markers and separators each chat message adds around its content. */
const TOKENS_PER_MESSAGE = 4;
/** The tokens that prime the assistant's reply. */
const TOKENS_PER_REPLY = 3;
/** A flat charge per image part; the real cost depends on size and detail, unknown before upstream sees it. */
const TOKENS_PER_IMAGE = 85;

/**
 * A cheap, deterministic estimate of a chat prompt's input tokens, used only to reserve TPM before the call
 * (the reservation is settled with the provider's real usage afterwards). It counts the characters of every
 * text the model reads (content strings and text parts, names, tool-call names and arguments, tool call
 * ids), divides by four and rounds up, then adds a few tokens per message and a flat amount per image.
 * No tokenizer runs, so it costs microseconds even for long prompts.
 */
export function estimatePromptTokens(messages: readonly unknown[]): number {
  let characters = 0;
  let fixedTokens = TOKENS_PER_REPLY;
  for (const message of messages) {
    fixedTokens += TOKENS_PER_MESSAGE;
    if (!message || typeof message !== 'object') continue;
    const { content, name, tool_calls: toolCalls, tool_call_id: toolCallId } = message as Record<string, unknown>;
    characters += textLength(name) + textLength(toolCallId);
    if (typeof content === 'string') characters += content.length;
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (!part || typeof part !== 'object') continue;
        const { type, text } = part as Record<string, unknown>;
        if (type === 'image_url' || type === 'image') fixedTokens += TOKENS_PER_IMAGE;
        else characters += textLength(text);
      }
    }
    if (Array.isArray(toolCalls)) {
      for (const call of toolCalls) {
        const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
        characters += textLength(fn?.name) + textLength(fn?.arguments);
      }
    }
  }
  return fixedTokens + Math.ceil(characters / CHARS_PER_TOKEN);
}

function textLength(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}
