/**
 * Reads a Dockerfile into stages and instructions (scripts/dockerfile-stages.js), and answers whether
 * .dockerignore keeps a path out of the build context, so the image definition can be checked on a machine
 * without a Docker engine.
 */

// Instructions and stages are read by the same module the bench uses for the image's NODE_OPTIONS.
export { readInstructions, readStages, type Instruction, type Stage } from '../../scripts/dockerfile-stages';

/** The JSON array of an exec-form instruction (`CMD ["a","b"]`), or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`not an array of strings: ${args}`);
  }
  return parsed;
}

/** Splits a `COPY`/`ADD` argument list into flags, sources and destination. */
export function readCopy(args: string): { flags: string[]; sources: string[]; destination: string } {
  const words = execForm(args) ?? args.split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  return { flags, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
}

/**
 * True when the .dockerignore rules keep `path` (relative, `/`-separated) out of the build context.
 * Later rules override earlier ones, `!` re-includes, and excluding a folder excludes what is inside it.
 */
export function isIgnored(dockerignore: string, path: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const candidates = path.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    const negated = rule.startsWith('!');
    const pattern = globToRegExp(rule.replace(/^!/, '').replace(/^\/+/, '').replace(/\/+$/, ''));
    if (candidates.some((candidate) => pattern.test(candidate))) ignored = !negated;
  }
  return ignored;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole folders; a trailing `**` matches anything.
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
