#!/usr/bin/env node
// Prints CI's last line, `N passed, N failed[, N skipped]`, from vitest's JSON report and its exit status.
// Usage: node .ci/summary.js REPORT.json EXIT_STATUS
'use strict';
const fs = require('node:fs');

function summarize(report, exitStatus) {
  if (!report) return { line: '0 passed, 1 failed', note: 'the test runner wrote no readable JSON report' };
  const skipped = (report.numPendingTests || 0) + (report.numTodoTests || 0);
  let failed = report.numFailedTests || 0;
  let note;
  // A suite that failed to load has no failing test of its own; count it so it cannot pass silently.
  if (!failed && report.numFailedTestSuites) failed = report.numFailedTestSuites;
  // Errors outside any test (an unhandled rejection, an uncaught exception in a child's callback) fail the
  // run without failing a test; the summary must not read "0 failed" for a run that did not pass.
  if (!failed && exitStatus !== 0) {
    failed = 1;
    note = `the test runner exited ${exitStatus} with no failing test (an error outside the tests; see its output above): counted as 1 failed`;
  }
  return { line: `${report.numPassedTests || 0} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''), note };
}

if (require.main === module) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  } catch {
    report = undefined;
  }
  const { line, note } = summarize(report, Number(process.argv[3] ?? 0));
  if (note) console.log(`[ci] ${note}`);
  console.log(line);
}

module.exports = { summarize };
