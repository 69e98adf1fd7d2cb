import { childPath } from './config-path';
import { describeFound } from './describe-value';
import { isPlainMapping } from './env-references';
import { ValidationContext } from './validation-context';

/**
 * Readers for one field of a mapping. Each checks the type, reports a problem in the shared format when
 * it is wrong, and writes coerced values back (numbers and booleans written as strings, typically the
 * result of an `os.environ/` reference, become real numbers and booleans). A wrong value is removed, so
 * code reading the typed result (runtime settings) never meets a value of the wrong type.
 */
export interface FieldRule {
  required?: boolean;
  /** Described in messages, e.g. `a string like "openai/gpt-4o"`. */
  expected?: string;
  /** Never show the value in messages. */
  secret?: boolean;
}

type Mapping = Record<string, unknown>;

export function readString(ctx: ValidationContext, section: Mapping, key: string, path: string, rule: FieldRule & { nonEmpty?: boolean } = {}): string | undefined {
  const fieldPath = childPath(path, key);
  const value = section[key];
  const expected = rule.expected ?? (rule.nonEmpty ? 'a non-empty string' : 'a string');
  if (value === undefined || value === null) {
    if (rule.required) ctx.missing(fieldPath, expected);
    return undefined;
  }
  if (typeof value !== 'string' || (rule.nonEmpty && value.trim() === '')) {
    reject(ctx, section, key, fieldPath, `expected ${expected}, got ${describeFound(value, rule)}`);
    return undefined;
  }
  return value;
}

function reject(ctx: ValidationContext, section: Mapping, key: string, fieldPath: string, message: string): void {
  ctx.report.problem(fieldPath, message);
  delete section[key];
}

const NUMERIC_STRING = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

export interface NumberRule extends FieldRule {
  /** `positive` excludes zero; `non-negative` allows it. */
  sign?: 'positive' | 'non-negative';
  integer?: boolean;
  min?: number;
  max?: number;
}

export function readNumber(ctx: ValidationContext, section: Mapping, key: string, path: string, rule: NumberRule = {}): number | undefined {
  const fieldPath = childPath(path, key);
  const raw = section[key];
  const expected = rule.expected ?? describeNumberRule(rule);
  if (raw === undefined || raw === null) {
    if (rule.required) ctx.missing(fieldPath, expected);
    return undefined;
  }
  const value = coerceNumber(raw);
  if (value === undefined || !fitsNumberRule(value, rule)) {
    reject(ctx, section, key, fieldPath, `expected ${expected}, got ${describeFound(raw, rule)}`);
    return undefined;
  }
  section[key] = value;
  return value;
}

/** A finite number, or a string that reads as one; undefined for anything else. */
export function coerceNumber(raw: unknown): number | undefined {
  const value = typeof raw === 'string' && NUMERIC_STRING.test(raw) ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function fitsNumberRule(value: number, rule: NumberRule): boolean {
  if (rule.integer && !Number.isInteger(value)) return false;
  if (rule.sign === 'positive' && value <= 0) return false;
  if (rule.sign === 'non-negative' && value < 0) return false;
  if (rule.min !== undefined && value < rule.min) return false;
  if (rule.max !== undefined && value > rule.max) return false;
  return true;
}

export function describeNumberRule(rule: NumberRule): string {
  const noun = rule.integer ? 'whole number' : 'number';
  if (rule.min !== undefined && rule.max !== undefined) return `a ${noun} from ${rule.min} to ${rule.max}`;
  if (rule.sign === 'positive') return `a positive ${noun}`;
  if (rule.sign === 'non-negative') return `a ${noun} of 0 or more`;
  return `a ${noun}`;
}

// YAML 1.1 (PyYAML, which LiteLLM uses) also reads yes/no/on/off as booleans, so a file written for
// LiteLLM may carry them; here they arrive as strings and are read the same way.
const TRUE_WORDS = new Set(['true', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'off']);

/** A boolean, or one of the YAML 1.1 words for one; undefined for anything else. */
export function coerceBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  const word = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (word === undefined) return undefined;
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
}

export function readBoolean(ctx: ValidationContext, section: Mapping, key: string, path: string, rule: FieldRule = {}): boolean | undefined {
  const fieldPath = childPath(path, key);
  const raw = section[key];
  if (raw === undefined || raw === null) {
    if (rule.required) ctx.missing(fieldPath, 'true or false');
    return undefined;
  }
  const value = coerceBoolean(raw);
  if (value === undefined) {
    reject(ctx, section, key, fieldPath, `expected true or false, got ${describeFound(raw, rule)}`);
    return undefined;
  }
  section[key] = value;
  return value;
}

export function readHttpUrl(ctx: ValidationContext, section: Mapping, key: string, path: string, rule: FieldRule = {}): string | undefined {
  const expected = rule.expected ?? 'an http(s) URL like "https://api.openai.com/v1"';
  const value = readString(ctx, section, key, path, { ...rule, expected });
  if (value === undefined) return undefined;
  if (!hasScheme(value, ['http:', 'https:'])) {
    reject(ctx, section, key, childPath(path, key), `expected ${expected}, got ${describeFound(value, rule)}`);
    return undefined;
  }
  return value;
}

export function hasScheme(value: string, schemes: string[]): boolean {
  try {
    return schemes.includes(new URL(value.trim()).protocol);
  } catch {
    return false;
  }
}

/**
 * A mapping-valued section or field. Absent or null reads as an empty mapping (LiteLLM treats an empty
 * section the same as a missing one); any other kind is a problem and yields undefined.
 */
export function readMapping(ctx: ValidationContext, value: unknown, path: string, expected = 'a mapping of key: value pairs'): Mapping | undefined {
  if (value === undefined || value === null) return {};
  if (!isPlainMapping(value)) {
    ctx.report.problem(path, `expected ${expected}, got ${describeFound(value)}`);
    return undefined;
  }
  return value;
}
