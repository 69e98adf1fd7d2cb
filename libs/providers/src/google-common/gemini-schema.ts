import { badRequest } from '@tollgate/common';
import type { GeminiSchema } from './gemini.types';

/**
 * JSON Schema keywords Gemini's `Schema` (an OpenAPI 3.0 subset) understands. Anything else
 * (`additionalProperties`, `$schema`, `strict`, `examples`, ...) makes the API answer 400
 * "Unknown name", so it is left out.
 */
const KEPT = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'items',
  'properties',
  'required',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'example',
  'anyOf',
  'propertyOrdering',
]);

/** String formats Gemini accepts; others (`email`, `uri`, ...) are refused by the API. */
const STRING_FORMATS = new Set(['enum', 'date-time']);

const MAX_DEPTH = 32;

/**
 * Converts an OpenAI JSON Schema (function `parameters`, `response_format.json_schema.schema`) to Gemini's
 * Schema: local `$ref`s are inlined, `type: [T, "null"]` becomes `nullable`, `oneOf` becomes `anyOf`,
 * `const` becomes a one-value `enum`, and unsupported keywords are dropped.
 */
export function toGeminiSchema(schema: unknown, where: string): GeminiSchema {
  const root = isObject(schema) ? schema : {};
  const definitions = Object.assign({}, isObject(root.definitions) ? root.definitions : {}, isObject(root.$defs) ? root.$defs : {});
  return convert(root, definitions, where, 0, []);
}

function convert(node: Record<string, unknown>, defs: Record<string, unknown>, where: string, depth: number, refs: string[]): GeminiSchema {
  if (depth > MAX_DEPTH) throw badRequest(`${where}: the JSON schema is nested too deeply for Gemini.`, where);
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    const name = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref)?.[1];
    const target = name === undefined ? undefined : defs[name];
    if (!isObject(target)) throw badRequest(`${where}: unresolvable $ref "${ref}" (only local #/$defs/ references are supported for Gemini).`, where);
    if (refs.includes(ref)) throw badRequest(`${where}: recursive $ref "${ref}" cannot be expressed in Gemini's schema.`, where);
    const { $ref: _ignored, ...siblings } = node;
    return convert(Object.assign({}, target, siblings), defs, where, depth + 1, [...refs, ref]);
  }
  const out: GeminiSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((t) => t !== 'null');
      if (types.length !== value.length) out.nullable = true;
      if (types.length === 1) out.type = types[0];
      else if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
    } else if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convert(asObject(sub), defs, where, depth + 1, refs)]));
    } else if (key === 'items' && isObject(value)) {
      out.items = convert(value, defs, where, depth + 1, refs);
    } else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out.anyOf = value.map((sub) => convert(asObject(sub), defs, where, depth + 1, refs));
    } else if (key === 'allOf' && Array.isArray(value) && value.length === 1) {
      Object.assign(out, convert(asObject(value[0]), defs, where, depth + 1, refs));
    } else if (key === 'const' && typeof value === 'string') {
      out.enum = [value];
    } else if (key === 'enum' && Array.isArray(value)) {
      // Gemini enums are strings only; a numeric enum is left as a plain number.
      if (value.every((v) => typeof v === 'string')) out.enum = value;
    } else if (KEPT.has(key)) {
      out[key] = value;
    }
  }
  if (out.format !== undefined && out.type === 'string' && !STRING_FORMATS.has(String(out.format))) delete out.format;
  if (out.enum && out.type === undefined) out.type = 'string';
  return out;
}

/** True for an object schema that declares no properties: Gemini refuses those for function parameters. */
export function isEmptyObjectSchema(schema: unknown): boolean {
  if (!isObject(schema)) return true;
  const properties = schema.properties;
  return schema.type === 'object' && (!isObject(properties) || Object.keys(properties).length === 0);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}
