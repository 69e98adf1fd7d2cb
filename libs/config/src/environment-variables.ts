import { childPath } from './config-path';
import { isPlainMapping, resolveEnvReferences } from './env-references';
import { kindOf } from './describe-value';
import { ValidationContext } from './validation-context';

/**
 * The `environment_variables` section: LiteLLM writes each entry into `os.environ` before anything else
 * reads the environment, so entries here override variables already set and are visible to every
 * `os.environ/NAME` reference in the rest of the file. Returns the entries as written.
 */
export function applyEnvironmentVariables(ctx: ValidationContext, value: unknown, env: NodeJS.ProcessEnv): Record<string, string> {
  const path = 'environment_variables';
  if (value === undefined || value === null) return {};
  if (!isPlainMapping(value)) {
    ctx.report.problem(path, `expected a mapping of NAME: value, got ${kindOf(value)}`);
    return {};
  }
  const written: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value)) {
    // An entry may itself point at another variable; it is read before any entry is written.
    const resolved = resolveEnvReferences(raw, env, childPath(path, name));
    ctx.recordUnset(resolved.unset);
    const entry = resolved.value;
    if (entry === undefined || entry === null) continue;
    if (typeof entry !== 'string' && typeof entry !== 'number' && typeof entry !== 'boolean') {
      // Values here are often secrets (REDIS_PASSWORD, ...), so only their kind is shown.
      ctx.report.problem(childPath(path, name), `expected a string, number or boolean, got ${kindOf(entry)}`);
      continue;
    }
    written[name] = String(entry);
  }
  Object.assign(env, written);
  return written;
}
