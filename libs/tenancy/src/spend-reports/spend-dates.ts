import { badRequest } from '@tollgate/common';

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_MS = 86_400_000;

/** True when year-month-day names a real calendar day (no 2026-02-30). */
function isCalendarDay(year: string, month: string, day: string): boolean {
  const at = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return at.getUTCFullYear() === Number(year) && at.getUTCMonth() === Number(month) - 1 && at.getUTCDate() === Number(day);
}

const invalid = (field: string, value: string) =>
  badRequest(`"${field}" must be a date (YYYY-MM-DD) or an ISO 8601 time such as "2026-01-31T12:00:00Z"; got "${value}".`, field);

/** A day or an instant, as the spend routes accept them; a time without a zone is UTC. */
export interface ParsedTime {
  at: Date;
  /** True for a plain date: it stands for the whole UTC day. */
  wholeDay: boolean;
}

export function parseTime(value: string, field: string): ParsedTime {
  const trimmed = value.trim();
  const plain = PLAIN_DATE.exec(trimmed);
  if (plain) {
    if (!isCalendarDay(plain[1], plain[2], plain[3])) throw invalid(field, value);
    return { at: new Date(`${trimmed}T00:00:00.000Z`), wholeDay: true };
  }
  const timed = DATE_TIME.exec(trimmed);
  if (!timed || !isCalendarDay(timed[1], timed[2], timed[3])) throw invalid(field, value);
  const at = new Date(timed[7] ? trimmed : `${trimmed}Z`);
  if (Number.isNaN(at.getTime())) throw invalid(field, value);
  return { at, wholeDay: false };
}

/**
 * The half-open time range `[from, before)` named by optional `start_date` / `end_date`. A plain end date
 * includes its whole day; an end time includes that millisecond (the logs' precision).
 */
export function timeRange(start: string | undefined, end: string | undefined): { from?: Date; before?: Date } {
  const from = start === undefined || start === '' ? undefined : parseTime(start, 'start_date').at;
  const last = end === undefined || end === '' ? undefined : parseTime(end, 'end_date');
  const before = last ? new Date(last.at.getTime() + (last.wholeDay ? DAY_MS : 1)) : undefined;
  if (from && before && from >= before) throw badRequest(`"start_date" (${start}) is after "end_date" (${end}).`, 'start_date');
  return { from, before };
}

/**
 * An inclusive range of UTC days for the daily aggregates, both ends required (as LiteLLM requires them).
 * Only plain dates: the aggregates know days, not hours, so a time would be silently widened.
 */
export function dayRange(start: string | undefined, end: string | undefined): { first: string; last: string } {
  const first = requiredDay(start, 'start_date');
  const last = requiredDay(end, 'end_date');
  if (first > last) throw badRequest(`"start_date" (${first}) is after "end_date" (${last}).`, 'start_date');
  return { first, last };
}

function requiredDay(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') throw badRequest(`"${field}" is required (YYYY-MM-DD, UTC days, both ends included).`, field);
  const trimmed = value.trim();
  const plain = PLAIN_DATE.exec(trimmed);
  if (!plain || !isCalendarDay(plain[1], plain[2], plain[3])) {
    throw badRequest(`"${field}" must be a date as YYYY-MM-DD (the report counts whole UTC days); got "${value}".`, field);
  }
  return trimmed;
}
