import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attribute,
  comparable,
  createTestDatabase,
  nativeType,
  parsePrismaSchema,
  SampleValues,
  SchemaField,
  SchemaModel,
  TestDatabase,
} from '@tollgate/testing';
import { Prisma, PrismaClient } from './generated/prisma/client';
import { findPackageRoot } from './package-root';
import { createPrismaClient } from './prisma-client';

// The test walks whatever schema.prisma declares, so a new model is covered without editing this file.
const schema = parsePrismaSchema(readFileSync(join(findPackageRoot(), 'prisma', 'schema.prisma'), 'utf8'));
const enumDbNames = new Map(schema.enums.map((e) => [e.name, e.dbName]));

interface ColumnInfo {
  column_name: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  datetime_precision: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  character_maximum_length: number | null;
}

interface ExpectedType {
  udt: string;
  datetimePrecision?: number;
  numeric?: [number, number];
  length?: number;
}

/** The PostgreSQL column type `prisma migrate` creates for a field (its documented type mapping). */
function expectedType(field: SchemaField): ExpectedType {
  const base = expectedBaseType(field);
  return field.list ? { ...base, udt: `_${base.udt}` } : base;
}

function expectedBaseType(field: SchemaField): ExpectedType {
  if (field.kind === 'enum') return { udt: enumDbNames.get(field.type)! };
  const native = nativeType(field);
  const arg = (i: number) => (native?.args[i] === undefined ? undefined : Number(native.args[i]));
  const nativeUdt: Record<string, string> = {
    Text: 'text', VarChar: 'varchar', Char: 'bpchar', Uuid: 'uuid', Xml: 'xml', Inet: 'inet', Citext: 'citext',
    Bit: 'bit', VarBit: 'varbit', SmallInt: 'int2', Integer: 'int4', Oid: 'oid', BigInt: 'int8', Real: 'float4',
    DoublePrecision: 'float8', Money: 'money', Json: 'json', JsonB: 'jsonb', ByteA: 'bytea', Boolean: 'bool',
    Date: 'date', Time: 'time', Timetz: 'timetz', Timestamp: 'timestamp', Timestamptz: 'timestamptz', Decimal: 'numeric',
  };
  if (native) {
    const udt = nativeUdt[native.name];
    if (!udt) throw new Error(`Add native type @db.${native.name} to the schema conformance test`);
    if (udt === 'timestamp' || udt === 'timestamptz' || udt === 'time' || udt === 'timetz') return { udt, datetimePrecision: arg(0) ?? 6 };
    if (udt === 'numeric') return { udt, numeric: [arg(0) ?? 65, arg(1) ?? 30] };
    if (udt === 'varchar' || udt === 'bpchar') return { udt, length: arg(0) ?? (udt === 'bpchar' ? 1 : undefined) };
    return { udt };
  }
  const defaults: Record<string, ExpectedType> = {
    String: { udt: 'text' }, Boolean: { udt: 'bool' }, Int: { udt: 'int4' }, BigInt: { udt: 'int8' },
    Float: { udt: 'float8' }, Decimal: { udt: 'numeric', numeric: [65, 30] }, DateTime: { udt: 'timestamp', datetimePrecision: 3 },
    Json: { udt: 'jsonb' }, Bytes: { udt: 'bytea' },
  };
  const mapped = defaults[field.type];
  if (!mapped) throw new Error(`Add Prisma type ${field.type} to the schema conformance test`);
  return mapped;
}

/** Whether Prisma puts a DEFAULT on the column: uuid()/cuid()/nanoid()/ulid() are filled in by the client. */
function hasDatabaseDefault(field: SchemaField): boolean {
  const args = attribute(field, 'default')?.args?.trim();
  return args !== undefined && !/^(uuid|cuid|nanoid|ulid)\(/.test(args);
}

const storedFields = (model: SchemaModel) => model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');

function delegate(prisma: PrismaClient, model: SchemaModel) {
  const key = model.name[0].toLowerCase() + model.name.slice(1);
  return (prisma as unknown as Record<string, { create(args: unknown): Promise<Record<string, unknown>>; findUniqueOrThrow(args: unknown): Promise<Record<string, unknown>> }>)[key];
}

/** A unique `where` for a created row: the primary key, else the first unique constraint. */
function uniqueWhere(model: SchemaModel, row: Record<string, unknown>): Record<string, unknown> {
  const key = model.indexes.find((i) => i.kind === 'id') ?? model.indexes.find((i) => i.kind === 'unique');
  if (!key) throw new Error(`Model ${model.name} has no unique key to read a row back by`);
  if (key.fields.length === 1) return { [key.fields[0]]: row[key.fields[0]] };
  return { [key.fields.join('_')]: Object.fromEntries(key.fields.map((f) => [f, row[f]])) };
}

describe('the migrated database matches schema.prisma', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let pg: Client;
  const samples = new SampleValues(schema);

  beforeAll(async () => {
    db = await createTestDatabase('schema-conformance');
    prisma = createPrismaClient(db.url, 2);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await pg?.end();
    await db?.drop();
  });

  async function columnsOf(table: string): Promise<Map<string, ColumnInfo>> {
    const { rows } = await pg.query<ColumnInfo>(
      `SELECT column_name, udt_name, is_nullable, column_default, datetime_precision, numeric_precision, numeric_scale,
              character_maximum_length
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      [table],
    );
    return new Map(rows.map((r) => [r.column_name, r]));
  }

  /** Creates a row with sample values, creating the rows its required relations point at first. */
  async function createSampleRow(model: SchemaModel, mode: 'full' | 'minimal', depth = 0): Promise<{ data: Record<string, unknown>; row: Record<string, unknown> }> {
    if (depth > 4) throw new Error(`Relation chain from ${model.name} is too deep for sample rows`);
    const data: Record<string, unknown> = {};
    const foreignKeys = samples.foreignKeyFields(model);
    for (const field of storedFields(model)) {
      if (foreignKeys.has(field.name) || samples.isGenerated(field)) continue;
      const needed = !field.optional && !field.list && attribute(field, 'default') === undefined;
      if (mode === 'full' || needed) data[field.name] = samples.valueFor(field);
    }
    for (const relation of model.fields.filter((f) => f.kind === 'object')) {
      const args = attribute(relation, 'relation')?.args;
      const [fromFields, toFields] = [/fields:\s*\[([^\]]*)\]/, /references:\s*\[([^\]]*)\]/].map((re) =>
        (re.exec(args ?? '')?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      );
      if (fromFields.length === 0) continue; // the other side holds the foreign key
      const required = fromFields.some((f) => !model.fields.find((m) => m.name === f)?.optional);
      if (!required && (mode === 'minimal' || depth > 0)) continue;
      const target = schema.models.find((m) => m.name === relation.type)!;
      const parent = (await createSampleRow(target, 'minimal', depth + 1)).row;
      fromFields.forEach((from, i) => (data[from] = parent[toFields[i]]));
    }
    const row = await delegate(prisma, model).create({ data });
    return { data, row };
  }

  it('the generated client was generated from this schema.prisma (run `npm run generate` if not)', () => {
    expect(Object.values(Prisma.ModelName).sort()).toEqual(schema.models.map((m) => m.name).sort());
    for (const model of schema.models) {
      const clientFields = Object.values((Prisma as unknown as Record<string, Record<string, string>>)[`${model.name}ScalarFieldEnum`]);
      expect(clientFields.sort()).toEqual(storedFields(model).map((f) => f.name).sort());
    }
  });

  it('has a table for every model and no table without one', async () => {
    const { rows } = await pg.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(schema.models.map((m) => m.tableName).sort());
  });

  describe.each(schema.models.map((m) => [m.name, m] as const))('model %s', (_name, model) => {
    it('has a column of the right type, nullability and default for every field, and no others', async () => {
      const columns = await columnsOf(model.tableName);
      for (const field of storedFields(model)) {
        const column = columns.get(field.columnName);
        const where = `${model.name}.${field.name} (column ${model.tableName}.${field.columnName})`;
        expect(column, `${where} is missing`).toBeDefined();
        const expected = expectedType(field);
        expect(column!.udt_name, `${where} type`).toBe(expected.udt);
        if (expected.datetimePrecision !== undefined) expect(column!.datetime_precision, `${where} precision`).toBe(expected.datetimePrecision);
        if (expected.numeric) expect([column!.numeric_precision, column!.numeric_scale], `${where} precision`).toEqual(expected.numeric);
        if (expected.length !== undefined) expect(column!.character_maximum_length, `${where} length`).toBe(expected.length);
        // Prisma creates scalar lists as nullable columns.
        expect(column!.is_nullable, `${where} nullability`).toBe(field.optional || field.list ? 'YES' : 'NO');
        expect(column!.column_default !== null, `${where} default`).toBe(hasDatabaseDefault(field));
      }
      const known = new Set(storedFields(model).map((f) => f.columnName));
      expect([...columns.keys()].filter((c) => !known.has(c)), `columns of ${model.tableName} unknown to the schema`).toEqual([]);
    });

    it('has the primary key, unique constraints and indexes the schema declares, under Prisma’s names', async () => {
      const { rows } = await pg.query<{ name: string; unique: boolean; primary: boolean; columns: string[] }>(
        `SELECT i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
                array_agg(a.attname::text ORDER BY k.ord) AS columns
           FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
           CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
          WHERE t.relname = $1
          GROUP BY i.relname, x.indisunique, x.indisprimary`,
        [model.tableName],
      );
      const column = (fieldName: string) => model.fields.find((f) => f.name === fieldName)!.columnName;
      const expected = model.indexes.map((index) => {
        const columns = index.fields.map(column);
        const suffix = { id: 'pkey', unique: 'key', index: 'idx' }[index.kind];
        const name = index.map ?? (index.kind === 'id' ? `${model.tableName}_pkey` : `${model.tableName}_${columns.join('_')}_${suffix}`);
        return { name, unique: index.kind !== 'index', primary: index.kind === 'id', columns };
      });
      const sortByName = (list: { name: string }[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
      expect(sortByName(rows)).toEqual(sortByName(expected));
    });

    it('stores a row with every field set and reads it back unchanged through Prisma', async () => {
      const { data, row } = await createSampleRow(model, 'full');
      const readBack = await delegate(prisma, model).findUniqueOrThrow({ where: uniqueWhere(model, row) });
      for (const [field, value] of Object.entries(data)) {
        expect(comparable(readBack[field]), `${model.name}.${field}`).toEqual(comparable(value));
      }
    });

    it('stores a row with only the required fields: optional fields read back null, defaults are filled in', async () => {
      const { row } = await createSampleRow(model, 'minimal');
      const readBack = await delegate(prisma, model).findUniqueOrThrow({ where: uniqueWhere(model, row) });
      for (const field of storedFields(model)) {
        const value = readBack[field.name];
        if (attribute(field, 'default') || samples.isGenerated(field)) {
          expect(value, `${model.name}.${field.name} default`).not.toBeNull();
        } else if (field.optional) {
          expect(value, `${model.name}.${field.name}`).toBeNull();
        }
      }
    });
  });
});
