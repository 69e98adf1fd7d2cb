import { badRequest } from '@tollgate/common';
import { Prisma } from '@tollgate/database';

/**
 * Conversions from API numbers to columns. `undefined` means "not sent" (leave the column alone), `null`
 * means "clear it". Negative amounts and limits are refused naming the field, whatever path they came by.
 */

function checked(value: number, field: string, integer: boolean): number {
  if (!Number.isFinite(value)) throw badRequest(`"${field}" must be a number; got ${String(value)}.`, field);
  if (value < 0) throw badRequest(`"${field}" must not be negative; got ${value}.`, field);
  if (integer && !Number.isInteger(value)) throw badRequest(`"${field}" must be a whole number; got ${value}.`, field);
  return value;
}

/** A USD amount for a Decimal column (exact: converted through its decimal text, never float arithmetic). */
export function moneyValue(value: number | null | undefined, field: string): Prisma.Decimal | null | undefined {
  if (value === undefined || value === null) return value;
  return new Prisma.Decimal(String(checked(value, field, false)));
}

/** A tokens- or requests-per-minute limit for a BigInt column. */
export function bigLimitValue(value: number | null | undefined, field: string): bigint | null | undefined {
  if (value === undefined || value === null) return value;
  return BigInt(checked(value, field, true));
}

/** A small whole-number limit (parallel requests). */
export function intLimitValue(value: number | null | undefined, field: string): number | null | undefined {
  if (value === undefined || value === null) return value;
  return checked(value, field, true);
}

/** Drops the fields left `undefined`, so an update touches only what the caller sent. */
export function definedOnly<T extends Record<string, unknown>>(data: T): Partial<T> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as Partial<T>;
}
