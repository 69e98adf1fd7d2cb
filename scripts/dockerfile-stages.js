// Reads a Dockerfile into instructions and stages, for what checks or reuses the image definition without a
// Docker engine: the deploy tests (test/deploy) and the bench, which runs Tollgate with the image's NODE_OPTIONS.
// Plain JavaScript so `node bench/run.js` needs no build.
'use strict';

/** Instructions in file order, with `\` continuations joined and comments dropped. */
function readInstructions(dockerfile) {
  const instructions = [];
  let pending = '';
  let startLine = 0;
  dockerfile.split('\n').forEach((raw, index) => {
    const text = raw.trim();
    if (pending === '' && (text === '' || text.startsWith('#'))) return;
    if (pending !== '' && text.startsWith('#')) return; // comment lines inside a continuation are skipped
    if (pending === '') startLine = index + 1;
    if (text.endsWith('\\')) {
      pending += `${text.slice(0, -1).trim()} `;
      return;
    }
    const whole = (pending + text).trim();
    pending = '';
    const [keyword] = whole.split(/\s/, 1);
    instructions.push({ keyword: keyword.toUpperCase(), args: whole.slice(keyword.length).trim(), line: startLine });
  });
  if (pending !== '') throw new Error(`line ${startLine}: continuation never ends`);
  return instructions;
}

/** Stages in order; `ARG` lines before the first `FROM` are global and belong to no stage. */
function readStages(dockerfile) {
  const stages = [];
  for (const instruction of readInstructions(dockerfile)) {
    if (instruction.keyword === 'FROM') {
      const match = instruction.args.match(/^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i);
      if (!match) throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ base: match[1], name: match[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

module.exports = { readInstructions, readStages };
