import * as path from 'node:path';
import { ConfigOverrides, TollgateConfig } from './config.types';
import { ConfigError } from './config-error';
import { ConfigReport } from './config-report';
import { describeFound } from './describe-value';
import { isPlainMapping, resolveEnvReferences } from './env-references';
import { applyEnvironmentVariables } from './environment-variables';
import { collectUnusedKeys, INTERPRETED_KEYS } from './interpreted-keys';
import { readConfigFile } from './read-config-file';
import { resolveRuntimeSettings } from './runtime-settings';
import { validateModelList } from './validate-model-list';
import { validateGeneralSettings, validateLitellmSettings, validateRouterSettings } from './validate-settings';
import { ValidationContext } from './validation-context';

export interface LoadConfigOptions {
  /** Defaults to `process.env`. `environment_variables` from the file are written into it. */
  env?: NodeJS.ProcessEnv;
  overrides?: ConfigOverrides;
  /** Base folder for relative paths (the file, the data folder). Defaults to `process.cwd()`. */
  cwd?: string;
}

/**
 * Loads a LiteLLM-format config.yaml (or no file: an empty model list) together with the environment and
 * command-line overrides. Throws `ConfigError` listing every problem found; never logs.
 */
export function loadConfig(file: string | undefined, options: LoadConfigOptions = {}): TollgateConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const sourceFile = file === undefined ? undefined : path.resolve(cwd, file);
  const raw = file === undefined ? {} : (readConfigFile(file, path.resolve(cwd, file)) ?? {});

  const report = new ConfigReport(file);
  const ctx = new ValidationContext(report);
  if (!isPlainMapping(raw)) {
    report.problem('', `expected a mapping with sections such as model_list and general_settings at the top level, got ${describeFound(raw)}`);
    throw new ConfigError(report.problems);
  }

  const { environment_variables: envSection, ...rest } = raw;
  const environmentVariables = applyEnvironmentVariables(ctx, envSection, env);
  const resolved = resolveEnvReferences(rest, env);
  ctx.recordUnset(resolved.unset);
  const document = resolved.value;

  const model_list = validateModelList(ctx, document.model_list);
  const general_settings = validateGeneralSettings(ctx, document.general_settings);
  const litellm_settings = validateLitellmSettings(ctx, document.litellm_settings);
  const router_settings = validateRouterSettings(ctx, document.router_settings);
  const runtime = resolveRuntimeSettings({
    general: general_settings,
    router: router_settings,
    env,
    overrides: options.overrides ?? {},
    report,
    cwd,
  });
  ctx.reportUnsetAsWarnings();
  if (report.problems.length > 0) throw new ConfigError(report.problems);

  return {
    sourceFile,
    model_list,
    general_settings,
    litellm_settings,
    router_settings,
    environment_variables: environmentVariables,
    runtime,
    unusedKeys: collectUnusedKeys(raw),
    otherSections: pickOtherSections(document),
    warnings: report.warnings,
  };
}

function pickOtherSections(document: Record<string, unknown>): Record<string, unknown> {
  const known: readonly string[] = INTERPRETED_KEYS.topLevel;
  return Object.fromEntries(Object.entries(document).filter(([key]) => !known.includes(key)));
}
