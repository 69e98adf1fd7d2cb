import { Prisma } from '@tollgate/database';

/** True when a write failed on a unique constraint (two callers creating the same id or email at once). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
