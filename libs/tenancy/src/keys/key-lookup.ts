import { notFound } from '@tollgate/common';
import type { Prisma, PrismaClient, VirtualKey } from '@tollgate/database';
import { keyHashOf, keyLabel } from './key-secret';

type Db = Pick<PrismaClient, 'virtualKey'> | Prisma.TransactionClient;

export const keyNotFound = (keyOrHash: string, field = 'key') => notFound(`Key "${keyLabel(keyOrHash)}" does not exist.`, field, 'not_found');

/** The stored key named by a key or its hash; 404 naming it (abbreviated) when there is none. */
export async function findKey(db: Db, keyOrHash: string, field = 'key'): Promise<VirtualKey> {
  const row = await db.virtualKey.findUnique({ where: { tokenHash: keyHashOf(keyOrHash) } });
  if (!row) throw keyNotFound(keyOrHash, field);
  return row;
}

/** Keys named by value or hash, and by alias: all of them, or a 404 naming the first one missing. */
export async function findKeys(db: Db, keys: readonly string[], aliases: readonly string[]): Promise<VirtualKey[]> {
  const hashes = keys.map(keyHashOf);
  const [byHash, byAlias] = await Promise.all([
    hashes.length ? db.virtualKey.findMany({ where: { tokenHash: { in: hashes } } }) : [],
    aliases.length ? db.virtualKey.findMany({ where: { keyAlias: { in: [...aliases] } } }) : [],
  ]);
  const missingKey = keys.find((key, i) => !byHash.some((row) => row.tokenHash === hashes[i]));
  if (missingKey !== undefined) throw keyNotFound(missingKey, 'keys');
  const missingAlias = aliases.find((alias) => !byAlias.some((row) => row.keyAlias === alias));
  if (missingAlias !== undefined) throw notFound(`No key has the alias "${missingAlias}".`, 'key_aliases', 'not_found');
  const unique = new Map([...byHash, ...byAlias].map((row) => [row.tokenHash, row]));
  return [...unique.values()];
}
