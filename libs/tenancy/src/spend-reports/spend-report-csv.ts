import { plainDecimal } from './decimal-text';
import { GROUP_NAMING, namesOf } from './report-group-names';
import type { ReportBucket, ReportGroup } from './spend-report-query';

const FIGURE_COLUMNS = ['spend', 'requests', 'successes', 'failures', 'prompt_tokens', 'completion_tokens', 'total_tokens'] as const;

/**
 * A text cell as RFC 4180 wants it: quoted (inner quotes doubled) when it holds a comma, quote or line
 * break. Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe:
 * team and key aliases are chosen by users, and finance opens these files in spreadsheets.
 */
export function csvText(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The report as CSV: a header row, then one row per group and day (per group over the range is never
 * used: CSV is always split by day), in the JSON order. Spend is the exact decimal; `day` has no group columns.
 */
export function reportCsv(group: ReportGroup, buckets: ReportBucket[], names: Map<string, string | null>): string {
  const naming = group === 'day' ? undefined : GROUP_NAMING[group];
  const groupColumns = naming ? [naming.idField, ...(naming.nameField ? [naming.nameField] : [])] : [];
  const lines = [['date', ...groupColumns, ...FIGURE_COLUMNS].join(',')];
  for (const bucket of buckets) {
    const groupCells = naming ? Object.values(namesOf(naming, bucket.groupId, names)).map(csvText) : [];
    const figures = FIGURE_COLUMNS.map((column) => (column === 'spend' ? plainDecimal(bucket.total.spend) : String(bucket.total[column])));
    lines.push([bucket.day ?? '', ...groupCells, ...figures].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
