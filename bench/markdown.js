// Number and table formatting shared by the report's sections.
'use strict';

function formatMs(value, digits = 2) {
  return value == null ? 'n/a' : value.toFixed(digits);
}

function formatSignedMs(value) {
  return value == null ? 'n/a' : `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}

function formatRate(value) {
  return value == null ? 'n/a' : Math.round(value).toLocaleString('en-US');
}

function formatRatio(value) {
  return value == null ? 'n/a' : `${value.toFixed(2)}x`;
}

function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function formatMb(kb) {
  return kb == null ? 'n/a' : (kb / 1024).toFixed(1);
}

module.exports = { markdownTable, formatMs, formatSignedMs, formatRate, formatRatio, formatMb };
