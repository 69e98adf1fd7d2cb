'use strict';
// Runs `startWorker` from the TypeScript sources in a process of its own, so a test can SIGKILL it like a
// crashed deployment. Sources are compiled on load with SWC, using the build's options (decorator metadata,
// @tollgate/* paths), which spares the test a full `npm run build`.
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..', '..', '..', '..');
const compileOptions = (filename) => ({
  filename,
  swcrc: false,
  sourceMaps: 'inline',
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
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), compileOptions(filename));
  module._compile(code, filename);
};

const { loadConfig } = require(path.join(root, 'libs', 'config', 'src'));
const { startWorker } = require(path.join(root, 'apps', 'worker', 'src'));

startWorker(loadConfig(undefined, { env: process.env }), {
  redisPrefix: process.env.TOLLGATE_TEST_PREFIX,
  logger: ['error'],
  batch: { maxBatch: 500, maxDelayMs: 200 },
}).then(
  () => process.stdout.write('worker ready\n'),
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
