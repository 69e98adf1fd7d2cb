import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { dayRange, parseTime, timeRange } from './spend-dates';

const paramOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof GatewayError && error.status === 400 ? error.options.param : `not a 400: ${String(error)}`;
  }
  return 'no error';
};

describe('spend date parameters', () => {
  it('reads plain dates as whole UTC days and times without a zone as UTC', () => {
    expect(parseTime('2026-03-01', 'start_date')).toEqual({ at: new Date('2026-03-01T00:00:00.000Z'), wholeDay: true });
    expect(parseTime('2026-03-01T10:30', 'start_date').at.toISOString()).toBe('2026-03-01T10:30:00.000Z');
    expect(parseTime('2026-03-01 10:30:05.250+02:00', 'start_date').at.toISOString()).toBe('2026-03-01T08:30:05.250Z');
  });

  it('makes a plain end date include its whole day and an end time include its millisecond', () => {
    expect(timeRange('2026-03-01', '2026-03-02')).toEqual({ from: new Date('2026-03-01T00:00:00Z'), before: new Date('2026-03-03T00:00:00Z') });
    expect(timeRange(undefined, '2026-03-02T12:00:00Z')).toEqual({ from: undefined, before: new Date('2026-03-02T12:00:00.001Z') });
    expect(timeRange('', '')).toEqual({ from: undefined, before: undefined });
  });

  it.each([
    [() => parseTime('2026-02-29', 'start_date'), 'start_date'],
    [() => parseTime('2026-3-1', 'start_date'), 'start_date'],
    [() => parseTime('1', 'end_date'), 'end_date'],
    [() => parseTime('2026-03-01T24:30:00Z', 'end_date'), 'end_date'],
    [() => timeRange('2026-03-02', '2026-03-01'), 'start_date'],
    [() => dayRange(undefined, '2026-03-01'), 'start_date'],
    [() => dayRange('2026-03-01', ' '), 'end_date'],
    [() => dayRange('2026-03-01T00:00:00Z', '2026-03-02'), 'start_date'],
    [() => dayRange('2026-03-02', '2026-03-01'), 'start_date'],
  ])('refuses bad values with a 400 naming the parameter (%#)', (run, param) => {
    expect(paramOf(run)).toBe(param);
  });

  it('accepts a one-day report range', () => {
    expect(dayRange('2024-02-29', '2024-02-29')).toEqual({ first: '2024-02-29', last: '2024-02-29' });
  });
});
