import swc from 'unplugin-swc';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const libs = fileURLToPath(new URL('./libs/', import.meta.url));
const apps = fileURLToPath(new URL('./apps/', import.meta.url));

// SWC (not esbuild) compiles the tests so Nest's decorator metadata is emitted.
const swcPlugin = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
  });

export default defineConfig({
  plugins: [swcPlugin()],
  resolve: {
    alias: [
      { find: /^@tollgate\/(gateway|worker)$/, replacement: `${apps}$1/src` },
      { find: /^@tollgate\/([^/]+)$/, replacement: `${libs}$1/src` },
    ],
  },
  test: {
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        // bench/*.e2e.spec.ts start the built gateway with PostgreSQL and Redis: integration, not unit.
        // Unit files share one module graph per worker (no re-import per file: about 2 min less CI on 2 cores).
        // They must therefore restore what they change (env, timers, spies) and not assume fresh module state.
        test: {
          name: 'unit',
          include: ['libs/**/*.spec.ts', 'apps/*/src/**/*.spec.ts', 'bench/**/*.spec.ts'],
          exclude: ['bench/**/*.e2e.spec.ts'],
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['apps/*/test/**/*.spec.ts', 'test/**/*.spec.ts', 'bench/**/*.e2e.spec.ts'] },
      },
    ],
  },
});
