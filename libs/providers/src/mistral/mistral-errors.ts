import type { UpstreamErrorDetail } from '../shared/upstream-errors';

interface MistralValidationDetail {
  loc?: unknown;
  msg?: unknown;
}

/** `[{"loc":["body","stream_options"],"msg":"Extra inputs are not permitted"}]` -> `body.stream_options: Extra inputs are not permitted`. */
function describeDetails(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  const lines = (details as MistralValidationDetail[]).map((d) => {
    const where = Array.isArray(d.loc) ? d.loc.join('.') : '';
    const what = typeof d.msg === 'string' ? d.msg : 'invalid';
    return where ? `${where}: ${what}` : what;
  });
  return lines.length > 0 ? lines.join('; ') : undefined;
}

/**
 * Reads Mistral's error bodies: `{"object":"error","message":...,"type","param","code"}` where `message` is a
 * string or, for request validation (422), `{"detail":[{loc,msg,...}]}`; the API gateway's own
 * `{"message":"Unauthorized","request_id":...}`; and a bare `{"detail":[...]}`. Returns undefined for
 * anything else (the default reader takes over).
 */
export function readMistralError(text: string): UpstreamErrorDetail | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || 'error' in parsed) return undefined;
  const raw = parsed.message;
  const message =
    typeof raw === 'string'
      ? raw
      : describeDetails((raw as { detail?: unknown } | null)?.detail) ?? describeDetails(parsed.detail) ?? (raw !== undefined ? JSON.stringify(raw) : undefined);
  if (message === undefined) return undefined;
  return {
    message,
    type: typeof parsed.type === 'string' ? parsed.type : undefined,
    code: typeof parsed.code === 'string' || typeof parsed.code === 'number' ? String(parsed.code) : null,
    param: typeof parsed.param === 'string' ? parsed.param : null,
  };
}
