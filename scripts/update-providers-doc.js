#!/usr/bin/env node
// Rewrites the generated provider table in docs/providers.md from the built providers (run after `npm run build`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const { withProvidersTable } = require(path.join(__dirname, '..', 'dist', 'libs', 'providers', 'src', 'providers-doc.js'));
const file = path.join(__dirname, '..', 'docs', 'providers.md');
fs.writeFileSync(file, withProvidersTable(fs.readFileSync(file, 'utf8')));
process.stdout.write('docs/providers.md updated\n');
