import { childPath, indexPath } from '../config-path';
import { describeFound } from '../describe-value';
import { isPlainMapping } from '../env-references';
import { coerceBoolean, coerceNumber, describeNumberRule, fitsNumberRule, type NumberRule } from '../field-readers';
import {
  type FallbackMap,
  type ModelGroupAlias,
  type PerErrorClass,
  ROUTER_ERROR_CLASSES,
  ROUTING_STRATEGIES,
  type RoutingStrategyName,
} from './router-config.types';

/**
 * Readers for the structured routing settings. Each returns the normalised value, or undefined when the
 * value is unusable, reporting every problem it finds (one line per problem, naming the path). The same
 * readers validate the file at load time and build `RouterConfig` afterwards (then with a reporter that
 * ignores problems, as the file has already been checked), so the two can never disagree.
 */
export type ProblemReporter = (path: string, message: string) => void;

export const IGNORE_PROBLEMS: ProblemReporter = () => undefined;

/** Sets a key named in the file as an own property, even `__proto__`. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function oneOf(values: readonly string[]): string {
  return `one of: ${values.join(', ')}`;
}

export function readRoutingStrategy(value: unknown, path: string, report: ProblemReporter): RoutingStrategyName | undefined {
  if ((ROUTING_STRATEGIES as readonly unknown[]).includes(value)) return value as RoutingStrategyName;
  report(path, `expected ${oneOf(ROUTING_STRATEGIES)}; got ${describeFound(value)}`);
  return undefined;
}

/** A number (or numeric string) fitting `rule`, else a problem at `path`. */
export function readNumberValue(value: unknown, path: string, report: ProblemReporter, rule: NumberRule): number | undefined {
  const number = coerceNumber(value);
  if (number !== undefined && fitsNumberRule(number, rule)) return number;
  report(path, `expected ${rule.expected ?? describeNumberRule(rule)}, got ${describeFound(value)}`);
  return undefined;
}

const STRATEGY_ARG_RULES: Record<string, NumberRule> = {
  lowest_latency_buffer: { sign: 'non-negative', expected: 'a fraction of 0 or more, like 0.5' },
  ttl: { sign: 'positive', expected: 'a positive number of seconds' },
  max_latency_list_size: { sign: 'positive', integer: true },
};

/** `routing_strategy_args`: the numeric arguments Tollgate reads, checked; any other key is kept as it is. */
export function readStrategyArgs(value: unknown, path: string, report: ProblemReporter): Record<string, unknown> | undefined {
  if (!isPlainMapping(value)) {
    report(path, `expected a mapping like {lowest_latency_buffer: 0.5, ttl: 60}, got ${describeFound(value)}`);
    return undefined;
  }
  const args: Record<string, unknown> = { ...value };
  let valid = true;
  for (const [key, rule] of Object.entries(STRATEGY_ARG_RULES)) {
    if (args[key] === undefined || args[key] === null) continue;
    const number = readNumberValue(args[key], childPath(path, key), report, rule);
    if (number === undefined) valid = false;
    else args[key] = number;
  }
  return valid ? args : undefined;
}

/**
 * `retry_policy` (`suffix` "Retries") or `allowed_fails_policy` (`suffix` "AllowedFails"): a mapping from
 * `<ErrorClass><suffix>` to a whole number of 0 or more.
 */
export function readPerErrorClass(value: unknown, path: string, report: ProblemReporter, suffix: 'Retries' | 'AllowedFails'): PerErrorClass | undefined {
  const keys = ROUTER_ERROR_CLASSES.map((errorClass) => `${errorClass}${suffix}`);
  if (!isPlainMapping(value)) {
    report(path, `expected a mapping with keys among ${keys.join(', ')}, got ${describeFound(value)}`);
    return undefined;
  }
  const counts: PerErrorClass = {};
  let valid = true;
  for (const [key, raw] of Object.entries(value)) {
    const errorClass = ROUTER_ERROR_CLASSES.find((name) => `${name}${suffix}` === key);
    if (errorClass === undefined) {
      report(childPath(path, key), `unknown key; expected ${oneOf(keys)}`);
      valid = false;
      continue;
    }
    if (raw === null || raw === undefined) continue;
    const count = readNumberValue(raw, childPath(path, key), report, { sign: 'non-negative', integer: true });
    if (count === undefined) valid = false;
    else counts[errorClass] = count;
  }
  return valid ? counts : undefined;
}

/** `model_group_retry_policy`: a `retry_policy` per model group. */
export function readGroupRetryPolicies(value: unknown, path: string, report: ProblemReporter): Record<string, PerErrorClass> | undefined {
  if (!isPlainMapping(value)) {
    report(path, `expected a mapping of model group name to retry policy, got ${describeFound(value)}`);
    return undefined;
  }
  const policies: Record<string, PerErrorClass> = {};
  let valid = true;
  for (const [group, policy] of Object.entries(value)) {
    const parsed = readPerErrorClass(policy, childPath(path, group), report, 'Retries');
    if (parsed === undefined) valid = false;
    else setOwn(policies, group, parsed);
  }
  return valid ? policies : undefined;
}

function readModelName(value: unknown, path: string, report: ProblemReporter): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  report(path, `expected a model name (a non-empty string), got ${describeFound(value)}`);
  return undefined;
}

/** A list of model names; a single name is read as a list of one (LiteLLM accepts both). */
export function readModelNames(value: unknown, path: string, report: ProblemReporter): string[] | undefined {
  if (typeof value === 'string') return readModelName(value, path, report) === undefined ? undefined : [value];
  if (!Array.isArray(value)) {
    report(path, `expected a list of model names, got ${describeFound(value)}`);
    return undefined;
  }
  const names: string[] = [];
  let valid = true;
  value.forEach((item, index) => {
    const name = readModelName(item, indexPath(path, index), report);
    if (name === undefined) valid = false;
    else names.push(name);
  });
  return valid ? names : undefined;
}

const FALLBACKS_EXPECTED = 'a list of single-key mappings like [{"gpt-4o": ["gpt-4o-mini"]}]';

/**
 * `fallbacks`, `context_window_fallbacks`, `content_policy_fallbacks`: LiteLLM's list of single-key
 * mappings from a model group to the groups to try after it, in order.
 */
export function readFallbacks(value: unknown, path: string, report: ProblemReporter): FallbackMap | undefined {
  if (!Array.isArray(value)) {
    report(path, `expected ${FALLBACKS_EXPECTED}, got ${describeFound(value)}`);
    return undefined;
  }
  const fallbacks: Record<string, readonly string[]> = {};
  let valid = true;
  value.forEach((item, index) => {
    const itemPath = indexPath(path, index);
    const keys = isPlainMapping(item) ? Object.keys(item) : [];
    if (!isPlainMapping(item) || keys.length !== 1) {
      const found = isPlainMapping(item) ? `a mapping with ${keys.length} keys` : describeFound(item);
      report(itemPath, `expected a mapping with exactly one key (the model group) like {"gpt-4o": ["gpt-4o-mini"]}, got ${found}`);
      valid = false;
      return;
    }
    const group = keys[0] as string;
    const targets = readModelNames(item[group], childPath(itemPath, group), report);
    if (targets === undefined) valid = false;
    else if (!Object.hasOwn(fallbacks, group)) setOwn(fallbacks, group, targets);
  });
  return valid ? fallbacks : undefined;
}

const ALIAS_KEYS = ['model', 'hidden'];

/** `model_group_alias`: alias -> group name, or alias -> {model, hidden}. */
export function readModelGroupAlias(value: unknown, path: string, report: ProblemReporter): Record<string, ModelGroupAlias> | undefined {
  if (!isPlainMapping(value)) {
    report(path, `expected a mapping like {"gpt-4": "gpt-4o"}, got ${describeFound(value)}`);
    return undefined;
  }
  const aliases: Record<string, ModelGroupAlias> = {};
  let valid = true;
  for (const [alias, target] of Object.entries(value)) {
    const entry = readAliasTarget(target, childPath(path, alias), report);
    if (entry === undefined) valid = false;
    else setOwn(aliases, alias, entry);
  }
  return valid ? aliases : undefined;
}

function readAliasTarget(value: unknown, path: string, report: ProblemReporter): ModelGroupAlias | undefined {
  if (typeof value === 'string') {
    const model = readModelName(value, path, report);
    return model === undefined ? undefined : { model, hidden: false };
  }
  if (!isPlainMapping(value)) {
    report(path, `expected a model group name or a mapping like {model: gpt-4o, hidden: true}, got ${describeFound(value)}`);
    return undefined;
  }
  let valid = true;
  for (const key of Object.keys(value)) {
    if (ALIAS_KEYS.includes(key)) continue;
    report(childPath(path, key), `unknown key; expected ${oneOf(ALIAS_KEYS)}`);
    valid = false;
  }
  const model = readModelName(value.model, childPath(path, 'model'), report);
  const hidden = readHidden(value.hidden, childPath(path, 'hidden'), report);
  if (!valid || model === undefined || hidden === undefined) return undefined;
  return { model, hidden };
}

function readHidden(value: unknown, path: string, report: ProblemReporter): boolean | undefined {
  if (value === undefined || value === null) return false;
  const hidden = coerceBoolean(value);
  if (hidden !== undefined) return hidden;
  report(path, `expected true or false, got ${describeFound(value)}`);
  return undefined;
}

/**
 * `optional_pre_call_checks`: a list of LiteLLM pre-call check names. Every name is accepted here (LiteLLM
 * adds checks over time); which ones Tollgate acts on is decided by the router, which warns about the rest.
 */
export function readPreCallChecks(value: unknown, path: string, report: ProblemReporter): string[] | undefined {
  if (!Array.isArray(value)) {
    report(path, `expected a list of check names such as ["enforce_model_rate_limits"], got ${describeFound(value)}`);
    return undefined;
  }
  const names: string[] = [];
  let valid = true;
  value.forEach((item, index) => {
    if (typeof item === 'string' && item.trim() !== '') names.push(item.trim());
    else {
      valid = false;
      report(indexPath(path, index), `expected a check name (a non-empty string), got ${describeFound(item)}`);
    }
  });
  return valid ? names : undefined;
}
