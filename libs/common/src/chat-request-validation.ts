import { badRequest } from './gateway-error';

/**
 * Checks the fields of a chat-completions body that Tollgate itself reads, with messages that say exactly
 * what to fix. Everything else is the upstream's to judge, so unknown fields pass through untouched.
 */
export function validateChatRequest(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object with "model" and "messages" (Content-Type: application/json).');
  }
  const b = body as Record<string, unknown>;
  if (b.model === undefined) throw badRequest('Missing required parameter: "model".', 'model', 'missing_required_parameter');
  if (typeof b.model !== 'string' || b.model.trim() === '') {
    throw badRequest(`"model" must be a non-empty string, got ${describe(b.model)}.`, 'model', 'invalid_type');
  }
  if (b.messages === undefined) throw badRequest('Missing required parameter: "messages".', 'messages', 'missing_required_parameter');
  if (!Array.isArray(b.messages)) {
    throw badRequest(`"messages" must be an array of message objects, got ${describe(b.messages)}.`, 'messages', 'invalid_type');
  }
  if (b.messages.length === 0) throw badRequest('"messages" must contain at least one message.', 'messages', 'empty_array');
  b.messages.forEach((message: unknown, i: number) => {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      throw badRequest(`"messages[${i}]" must be an object with a "role", got ${describe(message)}.`, `messages[${i}]`, 'invalid_type');
    }
    const role = (message as Record<string, unknown>).role;
    if (typeof role !== 'string' || role === '') {
      throw badRequest(`"messages[${i}].role" must be a string such as "user", got ${describe(role)}.`, `messages[${i}].role`, 'invalid_type');
    }
  });
  if (b.stream !== undefined && b.stream !== null && typeof b.stream !== 'boolean') {
    throw badRequest(`"stream" must be true or false, got ${describe(b.stream)}.`, 'stream', 'invalid_type');
  }
  if (b.stream_options !== undefined && b.stream_options !== null && (typeof b.stream_options !== 'object' || Array.isArray(b.stream_options))) {
    throw badRequest(`"stream_options" must be an object, got ${describe(b.stream_options)}.`, 'stream_options', 'invalid_type');
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`}`;
}

/** Checks an embeddings body: `model`, and `input` as text, a list of texts, or token arrays. */
export function validateEmbeddingRequest(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object with "model" and "input" (Content-Type: application/json).');
  }
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model.trim() === '') {
    throw badRequest(b.model === undefined ? 'Missing required parameter: "model".' : `"model" must be a non-empty string, got ${describe(b.model)}.`, 'model');
  }
  const input = b.input;
  const isTokens = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((n) => Number.isInteger(n));
  const valid =
    (typeof input === 'string' && input !== '') ||
    (Array.isArray(input) && input.length > 0 && (input.every((v) => typeof v === 'string' && v !== '') || isTokens(input) || input.every(isTokens)));
  if (!valid) {
    throw badRequest(
      input === undefined
        ? 'Missing required parameter: "input".'
        : `"input" must be a non-empty string, an array of non-empty strings, or token arrays; got ${describe(input)}.`,
      'input',
    );
  }
}
