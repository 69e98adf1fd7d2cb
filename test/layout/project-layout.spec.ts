import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' || name === 'node_modules' ? [] : sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** The rules of ../shared/ARCHITECTURE.md that a file scan can check. */
describe('project layout', () => {
  const nestCli = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as {
    monorepo: boolean;
    projects: Record<string, { type: string; root: string; sourceRoot: string; entryFile: string }>;
  };

  it('nest-cli.json lists every app and lib, and each entry file exists', () => {
    expect(nestCli.monorepo).toBe(true);
    const onDisk = [...readdirSync(join(ROOT, 'apps')), ...readdirSync(join(ROOT, 'libs'))].sort();
    expect(Object.keys(nestCli.projects).sort()).toEqual(onDisk);
    for (const [name, project] of Object.entries(nestCli.projects)) {
      expect(existsSync(join(ROOT, project.sourceRoot, `${project.entryFile}.ts`)), name).toBe(true);
    }
  });

  it('a lib never imports an app', () => {
    const offenders = sourceFiles(join(ROOT, 'libs')).filter((file) =>
      /from '(@tollgate\/(gateway|worker|cli)|(\.\.\/)+apps\/)/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('libs import each other only through their index (no deep @tollgate/x/... imports)', () => {
    const offenders = [...sourceFiles(join(ROOT, 'libs')), ...sourceFiles(join(ROOT, 'apps'))].filter((file) =>
      /from '@tollgate\/[^/']+\/[^']+'/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('the layout named in ARCHITECTURE.md exists', () => {
    for (const path of ['apps/gateway', 'apps/worker', 'prisma/schema.prisma', 'prisma/migrations', 'helm', 'bench', 'examples', 'docker-compose.yml', 'tsconfig.json', 'README.md']) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
  });
});
