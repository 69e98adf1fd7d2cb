/**
 * A validator for the part of JSON Schema (draft-07) that helm/tollgate/values.schema.json uses, so the
 * chart's defaults can be checked without Helm or a schema package. A keyword outside that part is
 * reported as an error rather than skipped: a schema that starts relying on one must not pass by accident.
 */

export type Schema = { [keyword: string]: unknown };

const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'definitions', 'default', 'examples']);
const ASSERTIONS = new Set([
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'minimum',
  'maximum',
  'minLength',
  'pattern',
]);

export function validateAgainstSchema(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '$', errors);
  return errors;
}

function check(root: Schema, schema: Schema, value: unknown, at: string, errors: string[]): void {
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) errors.push(`${at}: unsupported schema keyword "${keyword}"`);
  }
  if (typeof schema.$ref === 'string') {
    check(root, resolveRef(root, schema.$ref), value, at, errors);
    return;
  }
  if (schema.type !== undefined && !matchesType(schema.type as string | string[], value)) {
    errors.push(`${at}: expected ${JSON.stringify(schema.type)}, got ${describe(value)}`);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => allowed === value)) {
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'number') checkNumber(schema, value, at, errors);
  if (typeof value === 'string') checkString(schema, value, at, errors);
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, index) => check(root, schema.items as Schema, item, `${at}[${index}]`, errors));
  }
  if (isObject(value)) checkObject(root, schema, value, at, errors);
}

function checkNumber(schema: Schema, value: number, at: string, errors: string[]): void {
  if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: ${value} < minimum ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: ${value} > maximum ${schema.maximum}`);
}

function checkString(schema: Schema, value: string, at: string, errors: string[]): void {
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
    errors.push(`${at}: shorter than minLength ${schema.minLength}`);
  }
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    errors.push(`${at}: does not match pattern ${schema.pattern}`);
  }
}

function checkObject(root: Schema, schema: Schema, value: Record<string, unknown>, at: string, errors: string[]): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) errors.push(`${at}: missing required property "${name}"`);
  }
  for (const [name, item] of Object.entries(value)) {
    const path = `${at}.${name}`;
    if (properties[name]) check(root, properties[name], item, path, errors);
    else if (schema.additionalProperties === false) errors.push(`${path}: property not allowed`);
    else if (isObject(schema.additionalProperties)) check(root, schema.additionalProperties, item, path, errors);
  }
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported, got ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = isObject(node) ? node[part] : undefined;
  }
  if (!isObject(node)) throw new Error(`$ref ${ref} does not resolve`);
  return node;
}

function matchesType(type: string | string[], value: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((name) => {
    switch (name) {
      case 'object':
        return isObject(value);
      case 'array':
        return Array.isArray(value);
      case 'integer':
        return Number.isInteger(value);
      case 'number':
        return typeof value === 'number';
      case 'null':
        return value === null;
      default:
        return typeof value === name;
    }
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
