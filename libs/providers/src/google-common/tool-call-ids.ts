import { randomBytes } from 'node:crypto';

/**
 * Gemini's function calls usually carry no id, while OpenAI clients need one to tie results to calls. Tollgate
 * makes one up. Gemini 2.5+ also attaches a `thoughtSignature` to a function-call part and requires it back
 * with that part on the next turn; OpenAI messages have no place for it, so it travels inside the tool call
 * id (which clients echo back unchanged) after a separator, as LiteLLM does.
 */
const SIGNATURE_SEPARATOR = '__thought__';

export function toolCallId(nativeId: string | undefined, signature: string | undefined): string {
  const base = nativeId || `call_${randomBytes(12).toString('hex')}`;
  return signature ? `${base}${SIGNATURE_SEPARATOR}${signature}` : base;
}

export function splitToolCallId(id: string): { id: string; signature?: string } {
  const at = id.indexOf(SIGNATURE_SEPARATOR);
  if (at === -1) return { id };
  return { id: id.slice(0, at), signature: id.slice(at + SIGNATURE_SEPARATOR.length) || undefined };
}
