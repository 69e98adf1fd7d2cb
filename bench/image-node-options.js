// The Node options the container image starts Tollgate with (`ENV NODE_OPTIONS` in the Dockerfile's last
// stage). The bench gives Tollgate's processes the same ones, so it measures Tollgate as it is deployed, and
// the Dockerfile stays the only place they are written.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { readStages } = require('../scripts/dockerfile-stages');

const DOCKERFILE = path.resolve(__dirname, '..', 'Dockerfile');

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
  const stages = readStages(dockerfileText);
  let options = '';
  for (const { keyword, args } of stages[stages.length - 1]?.instructions ?? []) {
    const pairs = keyword === 'ENV' ? envPairs(args) : {};
    if ('NODE_OPTIONS' in pairs) options = pairs.NODE_OPTIONS;
  }
  return options;
}

/** The image's NODE_OPTIONS read from this repository's Dockerfile. */
function readImageNodeOptions(dockerfile = DOCKERFILE) {
  return imageNodeOptions(fs.readFileSync(dockerfile, 'utf8'));
}

module.exports = { imageNodeOptions, readImageNodeOptions };
