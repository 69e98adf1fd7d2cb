import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';

/**
 * Writes YAML snippets to a private temporary folder so specs can load them through `loadConfig` exactly
 * as the gateway does; the folder is removed when the spec file finishes.
 */
export function useTempConfigFolder(): { write(name: string, yaml: string): string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollgate-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name, yaml) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, yaml);
      return file;
    },
  };
}

export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');

/** Runs `fn`, expecting a ConfigError-like throw, and returns its problems. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    const problems = (error as { problems?: unknown }).problems;
    if (Array.isArray(problems)) return problems as string[];
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
