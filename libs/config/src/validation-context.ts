import { ConfigReport } from './config-report';
import { ENV_REFERENCE_PREFIX, UnsetEnvReference } from './env-references';

/**
 * What validators share: the report problems go to, and the references to unset variables, so a
 * required field that went missing because of one says which variable to set.
 */
export class ValidationContext {
  private readonly unsetByPath = new Map<string, string>();
  private readonly explained = new Set<string>();

  constructor(readonly report: ConfigReport) {}

  recordUnset(references: UnsetEnvReference[]): void {
    for (const reference of references) this.unsetByPath.set(reference.path, reference.variable);
  }

  /** Reports a required value that is absent, naming the unset variable when that is the cause. */
  missing(path: string, expected: string): void {
    const variable = this.unsetByPath.get(path);
    if (variable === undefined) {
      this.report.problem(path, `missing; expected ${expected}`);
      return;
    }
    this.explained.add(path);
    this.report.problem(path, `${describeUnset(variable)}; expected ${expected}`);
  }

  /** Unset references that did not already cause a problem become warnings. */
  reportUnsetAsWarnings(): void {
    for (const [path, variable] of this.unsetByPath) {
      if (this.explained.has(path)) continue;
      const effect = path.endsWith(']') ? 'the list item is null' : 'the setting was left out';
      this.report.warning(path, `${describeUnset(variable)}; ${effect}`);
    }
  }
}

function describeUnset(variable: string): string {
  if (variable === '') return `${ENV_REFERENCE_PREFIX} names no environment variable`;
  return `environment variable ${variable} (from ${ENV_REFERENCE_PREFIX}${variable}) is not set`;
}
