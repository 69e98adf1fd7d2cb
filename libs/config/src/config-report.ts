import { formatConfigProblem } from './config-error';

/**
 * Collects problems (which make the configuration unusable) and warnings (which do not) while a
 * configuration is read, each formatted as one line naming its source and path.
 */
export class ConfigReport {
  readonly problems: string[] = [];
  readonly warnings: string[] = [];

  constructor(readonly sourceLabel: string | undefined) {}

  problem(path: string, message: string): void {
    this.problems.push(formatConfigProblem(this.sourceLabel, path, message));
  }

  warning(path: string, message: string): void {
    this.warnings.push(formatConfigProblem(this.sourceLabel, path, message));
  }

  /** A problem whose origin is not the file, such as an environment variable or a command-line flag. */
  problemFrom(source: string, path: string, message: string): void {
    this.problems.push(formatConfigProblem(source, path, message));
  }
}
