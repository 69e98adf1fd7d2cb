import type { UpstreamErrorDetail } from '../shared/upstream-errors';

/**
 * Reads the problem-details bodies NVIDIA's API gateway answers with (`{"type","title","status","detail"}`,
 * RFC 9457) for authentication, rate limits and gateway failures. Bodies from the model server itself are
 * OpenAI-shaped and left to the default reader (undefined here).
 */
export function readNvidiaNimError(text: string): UpstreamErrorDetail | undefined {
  let parsed: { title?: unknown; detail?: unknown; status?: unknown };
  try {
    parsed = JSON.parse(text) as { title?: unknown; detail?: unknown; status?: unknown };
  } catch {
    return undefined;
  }
  if (!parsed || (typeof parsed.title !== 'string' && typeof parsed.detail !== 'string')) return undefined;
  const parts = [parsed.title, parsed.detail].filter((part): part is string => typeof part === 'string' && part !== '');
  return { message: parts.join(': '), code: null, param: null };
}
