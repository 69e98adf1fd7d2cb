import type { TokenUsage } from '../provider.types';

/** Reads OpenAI's `usage` object; undefined when absent or malformed. */
export function usageFromOpenAI(usage: unknown): TokenUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, unknown>;
  const prompt = toCount(u.prompt_tokens);
  const completion = toCount(u.completion_tokens);
  const total = toCount(u.total_tokens) ?? (prompt ?? 0) + (completion ?? 0);
  if (prompt === undefined && completion === undefined) return undefined;
  return { promptTokens: prompt ?? 0, completionTokens: completion ?? 0, totalTokens: total };
}

function toCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}
