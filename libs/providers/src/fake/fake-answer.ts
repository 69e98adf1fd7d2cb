import type { ChatCompletionRequest, ChatMessage, TokenUsage } from '../provider.types';

const MAX_ECHO_CHARS = 200;

/** Plain text of a message's content (string or content parts); other parts are ignored. */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
      .join(' ');
  }
  return '';
}

/**
 * A rough, deterministic token count (words and punctuation marks), good enough for a demo model whose
 * usage figures must be stable across runs.
 */
export function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)?.length ?? 0;
}

/** The fake model's answer: the configured `mock_response`, else a greeting echoing the last user message. */
export function fakeAnswer(request: ChatCompletionRequest, upstreamModel: string, mockResponse: unknown): string {
  if (typeof mockResponse === 'string') return mockResponse;
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
  const said = lastUser ? messageText(lastUser).trim() : '';
  const echo = said.length > MAX_ECHO_CHARS ? `${said.slice(0, MAX_ECHO_CHARS)}...` : said;
  return echo
    ? `Hello from Tollgate's built-in fake model "${upstreamModel}". You said: "${echo}"`
    : `Hello from Tollgate's built-in fake model "${upstreamModel}".`;
}

export function fakeUsage(request: ChatCompletionRequest, answer: string): TokenUsage {
  // Three tokens of framing per message, as chat formats add role markers around each one.
  const promptTokens = request.messages.reduce((sum, m) => sum + 3 + countTokens(messageText(m)), 0);
  const completionTokens = countTokens(answer);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

/** Splits the answer into stream pieces of one word each (with the whitespace before it). */
export function answerPieces(answer: string): string[] {
  return answer.match(/\s*\S+/g) ?? [answer];
}
