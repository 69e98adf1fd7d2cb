import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsDir, findPackageRoot } from './package-root';

describe('findPackageRoot', () => {
  it('finds the tollgate package from this source folder and from a dist-like folder below it', () => {
    const root = findPackageRoot();
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('tollgate');
    expect(findPackageRoot(join(root, 'dist', 'libs', 'database', 'src'))).toBe(root);
    expect(defaultMigrationsDir()).toBe(join(root, 'prisma', 'migrations'));
  });

  it('says so when there is no tollgate package above the folder', () => {
    expect(() => findPackageRoot(tmpdir())).toThrow(/Could not find the "tollgate" package root/);
  });
});
