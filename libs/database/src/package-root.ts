import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'tollgate';

/**
 * The folder holding Tollgate's own package.json. Found by walking up from this file rather than from the
 * working directory, so it is the same whether the code runs from src/ (vitest), from dist/ (built), or
 * from a process started in another folder.
 */
export function findPackageRoot(startDir: string = __dirname): string {
  let dir = startDir;
  for (;;) {
    if (isTollgatePackage(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`Could not find the "${PACKAGE_NAME}" package root above ${startDir}`);
    }
    dir = parent;
  }
}

function isTollgatePackage(packageJsonPath: string): boolean {
  if (!existsSync(packageJsonPath)) return false;
  try {
    const parsed = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { name?: unknown };
    return parsed.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** Where the SQL migrations live when no other folder is given. */
export function defaultMigrationsDir(): string {
  return join(findPackageRoot(), 'prisma', 'migrations');
}
