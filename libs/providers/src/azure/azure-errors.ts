import type { UpstreamErrorDetail } from '../shared/upstream-errors';

interface AzureErrorBody {
  error?: {
    message?: unknown;
    type?: unknown;
    code?: unknown;
    param?: unknown;
    innererror?: { code?: unknown; content_filter_result?: unknown };
  };
}

/** Names of the content-filter categories that blocked the prompt (`{"jailbreak":{"filtered":true,...}}`). */
function filteredCategories(result: unknown): string[] {
  if (!result || typeof result !== 'object') return [];
  return Object.entries(result as Record<string, unknown>)
    .filter(([, verdict]) => (verdict as { filtered?: unknown } | null)?.filtered === true)
    .map(([category]) => category);
}

/**
 * Reads Azure OpenAI's error bodies (`{"error":{"code","message","param","type","innererror"}}`) into OpenAI
 * terms. A prompt blocked by Azure's content filter (400, `code: content_filter`, `innererror.code:
 * ResponsibleAIPolicyViolation`) becomes `content_policy_violation`, naming the categories that fired; the
 * rest of `innererror` (every category's severity) stays out of the message. Azure's gateway errors put the
 * HTTP status in `code` ("401", "429"), which says nothing more, so it is dropped. Returns undefined for
 * bodies that are not Azure's shape (the default reader takes over).
 */
export function readAzureError(text: string): UpstreamErrorDetail | undefined {
  let parsed: AzureErrorBody;
  try {
    parsed = JSON.parse(text) as AzureErrorBody;
  } catch {
    return undefined;
  }
  const error = parsed?.error;
  if (!error || typeof error !== 'object') return undefined;
  const message = typeof error.message === 'string' ? error.message : undefined;
  const code = typeof error.code === 'string' || typeof error.code === 'number' ? String(error.code) : null;
  const param = typeof error.param === 'string' ? error.param : null;
  const inner = error.innererror;
  if (code === 'content_filter' || inner?.code === 'ResponsibleAIPolicyViolation') {
    const categories = filteredCategories(inner?.content_filter_result);
    const suffix = categories.length > 0 ? ` (content filter categories: ${categories.join(', ')})` : '';
    return {
      message: `${message ?? 'The request was blocked by the Azure OpenAI content filter.'}${suffix}`,
      type: 'invalid_request_error',
      code: 'content_policy_violation',
      param,
    };
  }
  return {
    message,
    type: typeof error.type === 'string' ? error.type : undefined,
    code: code !== null && /^\d+$/.test(code) ? null : code,
    param,
  };
}
