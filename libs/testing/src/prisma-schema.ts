/**
 * A small reader for the parts of schema.prisma that tests check the database against. Prisma's own DMMF
 * reader (@prisma/internals) is not installed, and the generated client only carries field names and
 * types, not optionality, defaults or native types.
 */

export interface SchemaAttribute {
  /** Without the leading @ (or @@), e.g. `default`, `db.Timestamptz`, `index`. */
  name: string;
  /** The raw text between the parentheses, or undefined when there are none. */
  args?: string;
}

export interface SchemaField {
  name: string;
  /** Scalar name (`String`, `DateTime`...), enum name or model name. */
  type: string;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  optional: boolean;
  list: boolean;
  columnName: string;
  attributes: SchemaAttribute[];
}

export interface SchemaIndex {
  kind: 'id' | 'unique' | 'index';
  /** Field names in index order. */
  fields: string[];
  /** Explicit constraint name (`map:`), when given. */
  map?: string;
}

export interface SchemaModel {
  name: string;
  tableName: string;
  fields: SchemaField[];
  indexes: SchemaIndex[];
}

export interface SchemaEnum {
  name: string;
  dbName: string;
  values: string[];
}

export interface PrismaSchema {
  models: SchemaModel[];
  enums: SchemaEnum[];
}

export function parsePrismaSchema(source: string): PrismaSchema {
  const blocks = readBlocks(source);
  const modelNames = new Set(blocks.filter((b) => b.keyword === 'model').map((b) => b.name));
  const enums = blocks.filter((b) => b.keyword === 'enum').map(toEnum);
  const enumNames = new Set(enums.map((e) => e.name));
  const models = blocks.filter((b) => b.keyword === 'model').map((b) => toModel(b, modelNames, enumNames));
  return { models, enums };
}

export function attribute(field: SchemaField, name: string): SchemaAttribute | undefined {
  return field.attributes.find((a) => a.name === name);
}

/** The `@db.X(args)` native type of a field, if any. */
export function nativeType(field: SchemaField): { name: string; args: string[] } | undefined {
  const native = field.attributes.find((a) => a.name.startsWith('db.'));
  if (!native) return undefined;
  const args = native.args ? native.args.split(',').map((a) => a.trim()).filter(Boolean) : [];
  return { name: native.name.slice(3), args };
}

/** Fields named in a list argument such as `[a, b(sort: Desc)]` or `fields: [a, b]`. */
export function listArgument(args: string | undefined, key?: string): string[] {
  if (!args) return [];
  const source = key ? (new RegExp(`\\b${key}\\s*:\\s*\\[([^\\]]*)\\]`).exec(args)?.[1] ?? '') : (/\[([^\]]*)\]/.exec(args)?.[1] ?? '');
  return source
    .split(',')
    .map((item) => item.replace(/\(.*\)/, '').trim())
    .filter(Boolean);
}

export function stringArgument(args: string | undefined, key?: string): string | undefined {
  if (!args) return undefined;
  const pattern = key ? new RegExp(`\\b${key}\\s*:\\s*"([^"]*)"`) : /^\s*"([^"]*)"/;
  return pattern.exec(args)?.[1];
}

interface Block {
  keyword: string;
  name: string;
  lines: string[];
}

function readBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const rawLine of source.split(/\r?\n/)) {
    const line = stripComment(rawLine).trim();
    if (!line) continue;
    if (!current) {
      const header = /^(model|enum|view|type|generator|datasource)\s+(\w+)\s*\{$/.exec(line);
      if (header) current = { keyword: header[1], name: header[2], lines: [] };
    } else if (line === '}') {
      blocks.push(current);
      current = undefined;
    } else {
      current.lines.push(line);
    }
  }
  return blocks;
}

function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== '\\') inString = !inString;
    if (!inString && line[i] === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

function toEnum(block: Block): SchemaEnum {
  const map = block.lines.map((l) => readAttributes(l)).flat().find((a) => a.name === '@map');
  const values = block.lines.filter((l) => !l.startsWith('@@')).map((l) => l.split(/\s+/)[0]);
  return { name: block.name, dbName: stringArgument(map?.args) ?? block.name, values };
}

function toModel(block: Block, modelNames: Set<string>, enumNames: Set<string>): SchemaModel {
  const fields: SchemaField[] = [];
  const indexes: SchemaIndex[] = [];
  let tableName = block.name;
  for (const line of block.lines) {
    if (line.startsWith('@@')) {
      for (const attr of readAttributes(line)) {
        const name = attr.name.slice(1);
        if (name === 'map') tableName = stringArgument(attr.args) ?? tableName;
        if (name === 'id' || name === 'unique' || name === 'index') {
          indexes.push({ kind: name, fields: listArgument(attr.args), map: stringArgument(attr.args, 'map') });
        }
      }
      continue;
    }
    const match = /^(\w+)\s+(Unsupported\("[^"]*"\)|\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
    if (!match) throw new Error(`Cannot read field line in model ${block.name}: ${line}`);
    const [, name, type, list, optional, rest] = match;
    const attributes = readAttributes(rest);
    const kind = type.startsWith('Unsupported')
      ? 'unsupported'
      : modelNames.has(type)
        ? 'object'
        : enumNames.has(type)
          ? 'enum'
          : 'scalar';
    const mapped = stringArgument(attributes.find((a) => a.name === 'map')?.args);
    fields.push({ name, type, kind, optional: Boolean(optional), list: Boolean(list), columnName: mapped ?? name, attributes });
    for (const attr of attributes) {
      if (attr.name === 'id' || attr.name === 'unique') {
        indexes.push({ kind: attr.name, fields: [name], map: stringArgument(attr.args, 'map') });
      }
    }
  }
  return { name: block.name, tableName, fields, indexes };
}

/** `@a @b(x, "y)") @@c([d])` -> attributes with balanced-parenthesis arguments; `@`-prefixes are kept minus one. */
function readAttributes(text: string): SchemaAttribute[] {
  const found: SchemaAttribute[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '@') {
      i++;
      continue;
    }
    const nameMatch = /^@(@?[\w.]+)/.exec(text.slice(i));
    if (!nameMatch) break;
    i += nameMatch[0].length;
    let args: string | undefined;
    if (text[i] === '(') {
      let depth = 0;
      let inString = false;
      const start = i + 1;
      for (; i < text.length; i++) {
        const ch = text[i];
        if (ch === '"' && text[i - 1] !== '\\') inString = !inString;
        if (inString) continue;
        if (ch === '(') depth++;
        if (ch === ')' && --depth === 0) break;
      }
      args = text.slice(start, i);
      i++;
    }
    found.push({ name: nameMatch[1], args });
  }
  return found;
}
