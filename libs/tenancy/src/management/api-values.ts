/** Converts a Prisma row to LiteLLM's JSON: Decimal and BigInt to numbers, dates to ISO strings, camelCase kept out. */
export function apiValue(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(apiValue);
  if (typeof value === 'object') {
    if (typeof (value as { toNumber?: unknown }).toNumber === 'function' && 'd' in (value as object)) return (value as { toNumber(): number }).toNumber();
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, apiValue(v)]));
  }
  return value;
}

/** Maps camelCase row fields to LiteLLM's snake_case field names through an explicit table. */
export function renameFields(row: Record<string, unknown>, names: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(names)) if (from in row) out[to] = apiValue(row[from]);
  return out;
}
