export { SpendLogReader, SPEND_LOGS_DEFAULT_PAGE_SIZE, SPEND_LOGS_MAX_PAGE_SIZE, type SpendLogPage, type SpendLogQuery } from './spend-log-reader';
export { SpendReporter, reportFormat, type SpendReportAnswer, type SpendReportQuery } from './spend-report';
export { REPORT_GROUPS, type ReportGroup } from './spend-report-query';
export { globalSpend, modelSpend } from './spend-totals';
export { csvText } from './spend-report-csv';
