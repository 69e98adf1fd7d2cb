import { DeploymentConfig, LitellmParams, ModelInfo } from './config.types';
import { childPath, indexPath } from './config-path';
import { describeFound } from './describe-value';
import { isPlainMapping } from './env-references';
import { readHttpUrl, readNumber, readString } from './field-readers';
import { ValidationContext } from './validation-context';

const MODEL_EXAMPLE = 'a string like "openai/gpt-4o"';

/**
 * Validates `model_list`: a list of deployments, each `{model_name, litellm_params, model_info}`.
 * Only the fields Tollgate reads are checked; every other `litellm_params` key is a provider parameter
 * and passes through untouched. Returns the deployments that are well-formed.
 */
export function validateModelList(ctx: ValidationContext, value: unknown): DeploymentConfig[] {
  const path = 'model_list';
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    ctx.report.problem(path, `expected a list of deployments, got ${describeFound(value)}`);
    return [];
  }
  const deployments: DeploymentConfig[] = [];
  value.forEach((entry, index) => {
    const deployment = validateDeployment(ctx, entry, indexPath(path, index));
    if (deployment !== undefined) deployments.push(deployment);
  });
  reportDuplicateIds(ctx, value, path);
  return deployments;
}

/** Deployment ids address one deployment (fallback targets, `/model/info`), so two may not share one. */
function reportDuplicateIds(ctx: ValidationContext, entries: unknown[], path: string): void {
  const firstPathById = new Map<string, string>();
  entries.forEach((entry, index) => {
    if (!isPlainMapping(entry) || !isPlainMapping(entry.model_info)) return;
    const id = idAsString(entry.model_info.id);
    if (id === undefined || id === '') return;
    const idPath = `${indexPath(path, index)}.model_info.id`;
    const firstPath = firstPathById.get(id);
    if (firstPath === undefined) {
      firstPathById.set(id, idPath);
      return;
    }
    ctx.report.problem(idPath, `duplicate deployment id ${JSON.stringify(id)}; ${firstPath} already uses it (ids must be unique)`);
  });
}

function validateDeployment(ctx: ValidationContext, entry: unknown, path: string): DeploymentConfig | undefined {
  if (!isPlainMapping(entry)) {
    ctx.report.problem(path, `expected a deployment mapping with model_name and litellm_params, got ${describeFound(entry)}`);
    return undefined;
  }
  const problemsBefore = ctx.report.problems.length;
  const modelName = readString(ctx, entry, 'model_name', path, {
    required: true,
    nonEmpty: true,
    expected: 'a non-empty string (the model name clients send)',
  });
  const litellmParams = validateLitellmParams(ctx, entry.litellm_params, childPath(path, 'litellm_params'));
  const modelInfo = validateModelInfo(ctx, entry.model_info, childPath(path, 'model_info'));
  if (ctx.report.problems.length > problemsBefore || modelName === undefined || !litellmParams || !modelInfo) {
    return undefined;
  }
  return { ...entry, model_name: modelName, litellm_params: litellmParams, model_info: modelInfo };
}

function validateLitellmParams(ctx: ValidationContext, value: unknown, path: string): LitellmParams | undefined {
  if (value === undefined || value === null) {
    ctx.missing(path, `a mapping with at least model (${MODEL_EXAMPLE})`);
    return undefined;
  }
  if (!isPlainMapping(value)) {
    ctx.report.problem(path, `expected a mapping with at least model (${MODEL_EXAMPLE}), got ${describeFound(value)}`);
    return undefined;
  }
  const params: Record<string, unknown> = { ...value };
  const model = readString(ctx, params, 'model', path, { required: true, nonEmpty: true, expected: MODEL_EXAMPLE });
  readHttpUrl(ctx, params, 'api_base', path);
  readString(ctx, params, 'api_key', path, { secret: true });
  readString(ctx, params, 'api_version', path, { expected: 'a string like "2024-10-21"' });
  for (const key of ['timeout', 'stream_timeout']) {
    readNumber(ctx, params, key, path, { sign: 'positive', expected: 'a positive number of seconds' });
  }
  for (const key of ['rpm', 'tpm', 'weight', 'max_retries']) {
    readNumber(ctx, params, key, path, { sign: 'non-negative' });
  }
  readTags(ctx, params, path);
  if (model === undefined) return undefined;
  return { ...params, model };
}

function validateModelInfo(ctx: ValidationContext, value: unknown, path: string): ModelInfo | undefined {
  if (value === undefined || value === null) return {};
  if (!isPlainMapping(value)) {
    ctx.report.problem(path, `expected a mapping, got ${describeFound(value)}`);
    return undefined;
  }
  const info: Record<string, unknown> = { ...value };
  if (info.id !== undefined) info.id = idAsString(info.id) ?? info.id;
  readString(ctx, info, 'id', path, { nonEmpty: true, expected: 'a non-empty string (a unique deployment id)' });
  readNumber(ctx, info, 'max_input_tokens', path, { sign: 'positive', integer: true, expected: 'a positive whole number of tokens' });
  return info;
}

/** `tags`: a list of non-empty strings (tag-based routing). A wrong value is removed after the problem is reported. */
function readTags(ctx: ValidationContext, params: Record<string, unknown>, path: string): void {
  const tags = params.tags;
  if (tags === undefined || tags === null) return;
  const tagsPath = childPath(path, 'tags');
  if (!Array.isArray(tags)) {
    ctx.report.problem(tagsPath, `expected a list of tags like ["free", "default"], got ${describeFound(tags)}`);
    delete params.tags;
    return;
  }
  const badIndex = tags.findIndex((tag) => typeof tag !== 'string' || tag.trim() === '');
  if (badIndex === -1) return;
  ctx.report.problem(indexPath(tagsPath, badIndex), `expected a tag (a non-empty string), got ${describeFound(tags[badIndex])}`);
  delete params.tags;
}

/** An unquoted numeric id (`id: 1`) is meant as a name; it is kept as the string it reads as. */
function idAsString(id: unknown): string | undefined {
  if (typeof id === 'string') return id;
  if (typeof id === 'number' && Number.isInteger(id)) return String(id);
  return undefined;
}
