/**
 * A NUMERIC as PostgreSQL prints it ("12.500000000000") without the scale's trailing zeros ("12.5"); "0"
 * for zero. The digits are kept as text, so CSV answers carry the exact amount.
 */
export function plainDecimal(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '0';
  if (!text.includes('.')) return text === '-0' ? '0' : text;
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' || trimmed === '' ? '0' : trimmed;
}

/** An exact decimal as a JSON number: the only place an amount becomes a float, at the edge of the API. */
export function decimalNumber(text: string | null | undefined): number {
  return Number(plainDecimal(text));
}
