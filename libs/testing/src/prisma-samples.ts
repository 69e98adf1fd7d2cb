import { randomUUID } from 'node:crypto';
import { Prisma } from '@tollgate/database';
import { attribute, nativeType, PrismaSchema, SchemaField, SchemaModel, listArgument } from './prisma-schema';

/**
 * Sample values for any model, chosen from each field's Prisma type and native type, so a test can write
 * and read back a row of a model it has never heard of. Values are picked to expose lossy storage:
 * a BigInt above 2^53, a Decimal with more digits than a double holds, milliseconds on timestamps.
 */
export class SampleValues {
  private sequence = 0;

  constructor(private readonly schema: PrismaSchema) {}

  /** Fields the database or Prisma fills in by itself; samples leave them out. */
  isGenerated(field: SchemaField): boolean {
    const defaultArgs = attribute(field, 'default')?.args?.trim() ?? '';
    return defaultArgs.startsWith('autoincrement(') || attribute(field, 'updatedAt') !== undefined;
  }

  /** Scalar fields that hold a foreign key; their values come from the related row, not from samples. */
  foreignKeyFields(model: SchemaModel): Set<string> {
    const names = new Set<string>();
    for (const field of model.fields) {
      if (field.kind === 'object') listArgument(attribute(field, 'relation')?.args, 'fields').forEach((f) => names.add(f));
    }
    return names;
  }

  valueFor(field: SchemaField): unknown {
    const one = () => this.singleValue(field);
    return field.list ? [one(), one()] : one();
  }

  private singleValue(field: SchemaField): unknown {
    const n = ++this.sequence;
    const native = nativeType(field);
    if (field.kind === 'enum') {
      const values = this.schema.enums.find((e) => e.name === field.type)?.values ?? [];
      return values[n % values.length];
    }
    switch (field.type) {
      case 'String':
        return sampleString(field.name, n, native);
      case 'Int':
        return 1000 + n;
      case 'BigInt':
        return 9_007_199_254_740_993n + BigInt(n);
      case 'Float':
        return 1.25 + n;
      case 'Decimal':
        return new Prisma.Decimal(sampleDecimal(n, native));
      case 'Boolean':
        return n % 2 === 0;
      case 'DateTime':
        return sampleDate(n, native);
      case 'Json':
        return { n, nested: [1, 'two', true, null], ratio: 1.5 };
      case 'Bytes':
        return Uint8Array.from([0, 1, n % 256, 255]);
      default:
        throw new Error(`No sample value for field ${field.name} of type ${field.type}`);
    }
  }
}

function sampleString(name: string, n: number, native?: { name: string; args: string[] }): string {
  if (native?.name === 'Uuid') return randomUUID();
  if (native?.name === 'Inet') return `10.0.${n % 256}.1`;
  const text = `${name}-${n}-é-${randomUUID().slice(0, 8)}`;
  const length = native && (native.name === 'VarChar' || native.name === 'Char') ? Number(native.args[0]) : undefined;
  if (!length) return text;
  // Char(n) pads to its length; filling it exactly keeps the read-back comparison exact.
  return native?.name === 'Char' ? text.padEnd(length, 'x').slice(0, length) : text.slice(0, length);
}

function sampleDecimal(n: number, native?: { name: string; args: string[] }): string {
  if (native?.name === 'Money') return `${n}.25`;
  if (native?.name === 'Decimal' && native.args.length > 0) {
    const precision = Number(native.args[0]);
    const scale = Number(native.args[1] ?? 0);
    const integerDigits = Math.max(1, precision - scale);
    const integer = String(n).slice(-integerDigits);
    return scale > 0 ? `${integer}.${'123456789'.repeat(4).slice(0, scale)}` : integer;
  }
  // Prisma's default is DECIMAL(65,30): more significant digits than a double can carry.
  return `${12345678901234567890n + BigInt(n)}.123456789012345678`;
}

function sampleDate(n: number, native?: { name: string; args: string[] }): Date {
  const base = Date.UTC(2025, 0, 2, 3, 4, 5, 678) + n * 1000;
  if (native?.name === 'Date') return new Date(Date.UTC(2025, 0, 2 + n));
  if (native?.name === 'Time' || native?.name === 'Timetz') return new Date(Date.UTC(1970, 0, 1, 12, 34, n % 60));
  const precision = native?.args[0] !== undefined ? Number(native.args[0]) : native ? 6 : 3;
  return precision >= 3 ? new Date(base) : new Date(Math.floor(base / 1000) * 1000);
}

/** Values as comparable plain data: Decimals as strings, dates as ISO text, bytes as hex. */
export function comparable(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map(comparable);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Prisma.Decimal.isDecimal(value)) return (value as Prisma.Decimal).toString();
  if (typeof value === 'bigint') return `${value}n`;
  return value;
}
