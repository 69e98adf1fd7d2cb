/**
 * Reads a Dockerfile into stages and instructions, and answers whether .dockerignore keeps a path out of
 * the build context, so the image definition can be checked on a machine without a Docker engine.
 */

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** Instructions in file order, with `\` continuations joined and comments dropped. */
export function readInstructions(dockerfile: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  dockerfile.split('\n').forEach((raw, index) => {
    const text = raw.trim();
    if (pending === '' && (text === '' || text.startsWith('#'))) return;
    if (pending !== '' && text.startsWith('#')) return; // comment lines inside a continuation are skipped
    if (pending === '') startLine = index + 1;
    if (text.endsWith('\\')) {
      pending += `${text.slice(0, -1).trim()} `;
      return;
    }
    const whole = (pending + text).trim();
    pending = '';
    const [keyword] = whole.split(/\s/, 1);
    instructions.push({ keyword: keyword.toUpperCase(), args: whole.slice(keyword.length).trim(), line: startLine });
  });
  if (pending !== '') throw new Error(`line ${startLine}: continuation never ends`);
  return instructions;
}

/** Stages in order; `ARG` lines before the first `FROM` are global and belong to no stage. */
export function readStages(dockerfile: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of readInstructions(dockerfile)) {
    if (instruction.keyword === 'FROM') {
      const match = instruction.args.match(/^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i);
      if (!match) throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ base: match[1], name: match[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

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
