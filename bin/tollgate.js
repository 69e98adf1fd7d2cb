#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('tollgate: not built yet. Run `npm run build` in the Tollgate folder first.\n');
  process.exit(1);
}
require(entry);
