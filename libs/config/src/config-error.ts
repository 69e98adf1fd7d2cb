/**
 * Thrown when the configuration cannot be used. Every problem found is collected first, so one run of
 * the gateway shows the operator everything to fix; `message` holds one line per problem.
 */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = [...problems];
  }
}

/** Label used when a problem does not come from a file (no `--config` given). */
export const NO_FILE_LABEL = 'configuration';

/**
 * One problem line: `<file>: <path>: <message>`, for example
 * `config.yaml: model_list[2].litellm_params.model: expected a string like "openai/gpt-4o", got 42`.
 * Exported so later checks (the gateway's provider-prefix validation) read the same way.
 * `source` may also name a non-file origin such as `environment` or `command line`.
 * The message must never contain a secret value.
 */
export function formatConfigProblem(source: string | undefined, path: string, message: string): string {
  const label = source === undefined || source === '' ? NO_FILE_LABEL : source;
  return path === '' ? `${label}: ${message}` : `${label}: ${path}: ${message}`;
}
