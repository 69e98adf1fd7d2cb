import { badRequest } from '@tollgate/common';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * When a period starting `from` ends, for LiteLLM's duration strings: `30s`, `30m`, `24h`, `7d`, `2w`, `1mo`
 * (calendar months), `1y`. A bad value is a 400 naming `field`.
 */
export function durationEnd(value: string, field: string, from: Date = new Date()): Date {
  const match = /^(\d+)\s*(s|m|h|d|w|mo|y)$/.exec(value.trim());
  if (!match) throw badRequest(`"${field}" must be a duration like "30s", "30m", "24h", "7d", "1mo" or "1y"; got "${value}".`, field);
  const amount = Number(match[1]);
  const unit = match[2];
  if (unit === 'mo' || unit === 'y') {
    const end = new Date(from);
    end.setUTCMonth(end.getUTCMonth() + amount * (unit === 'y' ? 12 : 1));
    return end;
  }
  return new Date(from.getTime() + amount * UNITS[unit]);
}
