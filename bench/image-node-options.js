// The Node options the container image starts Tollgate with (`ENV NODE_OPTIONS` in the Dockerfile's last
// stage). The bench gives Tollgate's processes the same ones, so it measures Tollgate as it is deployed, and
// the Dockerfile stays the only place they are written.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const DOCKERFILE = path.resolve(__dirname, '..', 'Dockerfile');

/** Joins continued lines (`\` at the end) and drops comments, keeping one string per instruction. */
function instructions(text) {
  const out = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    out.push(current + line);
    current = '';
  }
  if (current) out.push(current);
  return out;
}

/** `KEY=value` pairs of an ENV instruction's arguments; values may be double-quoted. */
function envPairs(args) {
  const pairs = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const value = match[2].startsWith('"') ? match[2].slice(1, -1).replace(/\\(.)/g, '$1') : match[2];
    pairs[match[1]] = value;
  }
  return pairs;
}

/** NODE_OPTIONS set by ENV in the last stage of `dockerfileText`, or '' when it sets none. */
function imageNodeOptions(dockerfileText) {
  let stage = [];
  for (const instruction of instructions(dockerfileText)) {
    if (/^FROM\s/i.test(instruction)) stage = [];
    else stage.push(instruction);
  }
  let options = '';
  for (const instruction of stage) {
    const env = /^ENV\s+(.*)$/is.exec(instruction);
    if (env && 'NODE_OPTIONS' in envPairs(env[1])) options = envPairs(env[1]).NODE_OPTIONS;
  }
  return options;
}

/** The image's NODE_OPTIONS read from this repository's Dockerfile. */
function readImageNodeOptions(dockerfile = DOCKERFILE) {
  return imageNodeOptions(fs.readFileSync(dockerfile, 'utf8'));
}

module.exports = { imageNodeOptions, readImageNodeOptions };
