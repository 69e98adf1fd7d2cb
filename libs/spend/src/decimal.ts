const DECIMAL = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * `text` (a non-negative decimal such as "0.15", "1.5e-7" or a number's `String()`) times 10^scale, as an
 * integer. Digits beyond the scale are rounded half up: the result is exact whenever the text has at most
 * `scale` decimals, which is why callers pick scales generous enough for real prices.
 */
export function scaledInteger(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new Error(`not a non-negative decimal: "${text}"`);
  const fraction = match[2] ?? '';
  const digits = BigInt(match[1] + fraction);
  const shift = scale + Number(match[3] ?? 0) - fraction.length;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  return divideRoundingHalfUp(digits, 10n ** BigInt(-shift));
}

/** A number (finite, >= 0) times 10^scale, from its shortest round-trip form: 1.5e-7 is read as written. */
export function scaledIntegerFromNumber(value: number, scale: number): bigint {
  if (!Number.isFinite(value) || value < 0) throw new Error(`not a non-negative finite number: ${value}`);
  return scaledInteger(String(value), scale);
}

/** `value` / 10^scale as a plain decimal string: no exponent, no trailing zeros ("0.00045", "12", "0"). */
export function decimalFromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative ? `-${text}` : text;
}

export function divideRoundingHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}
