import type { UpstreamErrorDetail } from '../shared/upstream-errors';

/** Text Generation Inference's validation wording for a prompt over the context window (HTTP 422). */
export const TGI_TOO_LONG = /`inputs` tokens \+ `max_new_tokens` must be <=|`inputs` must have less than \d+ tokens/i;

/**
 * Reads Text Generation Inference's error bodies (`{"error":"...","error_type":"validation"}`), marking its
 * context-window wording as `context_length_exceeded`. OpenAI-shaped bodies from the router are left to the
 * default reader (undefined here).
 */
export function readHuggingFaceError(text: string): UpstreamErrorDetail | undefined {
  let parsed: { error?: unknown; error_type?: unknown };
  try {
    parsed = JSON.parse(text) as { error?: unknown; error_type?: unknown };
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed.error !== 'string') return undefined;
  return {
    message: parsed.error,
    type: typeof parsed.error_type === 'string' ? parsed.error_type : undefined,
    code: TGI_TOO_LONG.test(parsed.error) ? 'context_length_exceeded' : null,
    param: null,
  };
}
