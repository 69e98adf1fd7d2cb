import { describe, expect, it } from 'vitest';
import { decimalNumber, plainDecimal } from './decimal-text';
import { reportFormat } from './spend-report';
import { csvText } from './spend-report-csv';

describe('report formats', () => {
  it('takes format= first, else CSV only when Accept names text/csv and not JSON', () => {
    expect(reportFormat('csv', 'application/json')).toBe('csv');
    expect(reportFormat('json', 'text/csv')).toBe('json');
    expect(reportFormat(undefined, undefined)).toBe('json');
    expect(reportFormat(undefined, '*/*')).toBe('json');
    expect(reportFormat(undefined, 'text/csv; charset=utf-8')).toBe('csv');
    expect(reportFormat(undefined, 'text/plain, TEXT/CSV;q=0.9')).toBe('csv');
    expect(reportFormat(undefined, 'text/csv, application/json')).toBe('json');
    expect(() => reportFormat('xlsx', undefined)).toThrow(/"format" must be/);
  });

  it('quotes CSV text per RFC 4180 and defuses formulas', () => {
    expect(csvText('plain')).toBe('plain');
    expect(csvText(null)).toBe('');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvText('@cf/meta/llama')).toBe("'@cf/meta/llama");
    expect(csvText('-1,2')).toBe(`"'-1,2"`);
  });

  it('prints NUMERIC text without the scale zeros, exactly', () => {
    expect(plainDecimal('12.500000000000')).toBe('12.5');
    expect(plainDecimal('0.000000000000')).toBe('0');
    expect(plainDecimal('123456789012.000000000001')).toBe('123456789012.000000000001');
    expect(plainDecimal('40')).toBe('40');
    expect(plainDecimal(null)).toBe('0');
    expect(decimalNumber('0.100000000000')).toBe(0.1);
  });
});
