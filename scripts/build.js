#!/usr/bin/env node
// Compiles apps/ and libs/ to dist/ with SWC (keeps decorator metadata, rewrites @tollgate/* aliases).
// Type checking is a separate step (`npm run typecheck`) so a build stays a few seconds long.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outRoot = path.join(root, 'dist');
const sourceRoots = ['apps', 'libs'];

function listSources(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'test') continue;
      found.push(...listSources(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) {
      found.push(full);
    }
  }
  return found;
}

const swcOptions = (file) => ({
  filename: file,
  sourceMaps: true,
  swcrc: false,
  module: { type: 'commonjs', strict: true },
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
    baseUrl: root,
    paths: {
      '@tollgate/gateway': ['apps/gateway/src'],
      '@tollgate/worker': ['apps/worker/src'],
      '@tollgate/*': ['libs/*/src'],
    },
  },
});

async function main() {
  fs.rmSync(outRoot, { recursive: true, force: true });
  const files = sourceRoots.flatMap((r) => (fs.existsSync(path.join(root, r)) ? listSources(path.join(root, r)) : []));
  let next = 0;
  async function workerLoop() {
    while (next < files.length) {
      const file = files[next++];
      const rel = path.relative(root, file);
      const out = path.join(outRoot, rel.replace(/\.ts$/, '.js'));
      const result = await swc.transformFile(file, swcOptions(file));
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${result.code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
      if (result.map) fs.writeFileSync(`${out}.map`, result.map);
    }
  }
  await Promise.all(Array.from({ length: 8 }, workerLoop));
  process.stdout.write(`built ${files.length} files into dist/\n`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
