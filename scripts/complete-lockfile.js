#!/usr/bin/env node
// Adds lock-file entries for optional platform packages (native binaries for other systems, such as
// @swc/core-darwin-arm64) that the registry reachable from our build machines does not serve. `npm install`
// skips such packages and leaves them out of package-lock.json, but `npm ci` then refuses the lock file as
// out of sync. An entry marked optional satisfies `npm ci`; on a platform that needs it, npm fetches it
// (it is optional, so a failure there is skipped too). Run after every `npm install`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [location, info] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(info.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    packages[hoisted] = { version: range.replace(/^[\^~=]/, ''), optional: true };
    added.push(`${name}@${packages[hoisted].version}`);
  }
}
if (added.length > 0) {
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`package-lock.json: added optional entries for ${added.join(', ')}\n`);
}
