import { childPath, indexPath } from './config-path';

/**
 * LiteLLM's secret reference syntax: a string value `os.environ/NAME` anywhere in the document is
 * replaced by the value of the environment variable NAME. Only whole values are references (a string
 * that merely contains the prefix later on is left alone, as in LiteLLM).
 */
export const ENV_REFERENCE_PREFIX = 'os.environ/';

/** A reference whose variable is not set: where it was and which variable it named. */
export interface UnsetEnvReference {
  path: string;
  variable: string;
}

export interface ResolvedDocument<T> {
  value: T;
  unset: UnsetEnvReference[];
}

export function envReferenceName(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(ENV_REFERENCE_PREFIX)) return undefined;
  return value.slice(ENV_REFERENCE_PREFIX.length).trim();
}

/**
 * Returns a copy of `value` with every reference replaced. A reference to an unset variable removes the
 * key from its mapping (the setting falls back to its default, as LiteLLM's `None` does) and becomes
 * `null` inside a list, so the positions of the other items do not shift. Each one is reported in
 * `unset`; the caller decides whether that is a warning or, for a required field, a problem.
 */
export function resolveEnvReferences<T>(value: T, env: NodeJS.ProcessEnv, path = ''): ResolvedDocument<T> {
  const unset: UnsetEnvReference[] = [];
  const resolved = resolveNode(value, env, path, unset);
  return { value: resolved as T, unset };
}

function resolveNode(node: unknown, env: NodeJS.ProcessEnv, path: string, unset: UnsetEnvReference[]): unknown {
  const variable = envReferenceName(node);
  if (variable !== undefined) {
    const found = variable === '' ? undefined : env[variable];
    if (found === undefined) unset.push({ path, variable });
    return found;
  }
  if (Array.isArray(node)) {
    return node.map((item, index) => resolveNode(item, env, indexPath(path, index), unset) ?? null);
  }
  if (isPlainMapping(node)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(node)) {
      const resolved = resolveNode(item, env, childPath(path, key), unset);
      // defineProperty, so a key named `__proto__` stays a key instead of replacing the prototype.
      if (resolved !== undefined) Object.defineProperty(out, key, { value: resolved, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return node;
}

export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
