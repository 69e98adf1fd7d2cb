import { describe, expect, it } from 'vitest';
import { decimalFromScaled, scaledInteger, scaledIntegerFromNumber } from './decimal';
import { formatUsd, parseUsd } from './usd';

describe('decimal conversions', () => {
  it('reads plain and exponent forms exactly', () => {
    expect(scaledInteger('0.15', 12)).toBe(150_000_000_000n);
    expect(scaledInteger('1.5e-7', 18)).toBe(150_000_000_000n);
    expect(scaledInteger('2.5E+2', 0)).toBe(250n);
    expect(scaledIntegerFromNumber(3e-7, 18)).toBe(300_000_000_000n);
    expect(scaledIntegerFromNumber(0.1 + 0.2, 1)).toBe(3n);
  });

  it('rounds digits beyond the scale half up', () => {
    expect(scaledInteger('0.0000000000005', 12)).toBe(1n);
    expect(scaledInteger('0.0000000000004', 12)).toBe(0n);
  });

  it('refuses what is not a non-negative decimal', () => {
    for (const text of ['-1', 'abc', '', '1,5', 'NaN']) expect(() => scaledInteger(text, 12)).toThrow();
    expect(() => scaledIntegerFromNumber(Number.POSITIVE_INFINITY, 12)).toThrow();
  });

  it('writes scaled integers back without exponent or trailing zeros', () => {
    expect(decimalFromScaled(450_000n, 12)).toBe('0.00000045');
    expect(decimalFromScaled(12_000_000_000_000n, 12)).toBe('12');
    expect(decimalFromScaled(-5n, 3)).toBe('-0.005');
  });
});

describe('formatUsd / parseUsd (the x-litellm-response-cost header and spend columns)', () => {
  it('formats picodollars as a plain trimmed decimal', () => {
    expect(formatUsd(0n)).toBe('0');
    expect(formatUsd(1n)).toBe('0.000000000001');
    expect(formatUsd(450_000_000_000n)).toBe('0.45');
    expect(formatUsd(123_456_789_000_000_000n)).toBe('123456.789');
    expect(formatUsd(10n ** 24n)).toBe('1000000000000');
  });

  it('round-trips the spend columns\' 12 decimals', () => {
    for (const text of ['0', '0.000123', '98765.000000000001', '0.45']) expect(formatUsd(parseUsd(text))).toBe(text);
  });
});
