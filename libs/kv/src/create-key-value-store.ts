import type { KeyValueStore } from './kv.types';
import { MemoryKeyValueStore } from './memory-key-value-store';
import { RedisKeyValueStore } from './redis-key-value-store';

export interface KeyValueStoreOptions {
  /** With a URL the state is shared through Redis; without one it lives in this process only. */
  redisUrl?: string;
  /** Prefix of every key and channel. Default "tollgate:". */
  prefix?: string;
}

export const DEFAULT_KEY_PREFIX = 'tollgate:';

export function createKeyValueStore(options: KeyValueStoreOptions = {}): KeyValueStore {
  const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
  return options.redisUrl
    ? new RedisKeyValueStore({ url: options.redisUrl, prefix })
    : new MemoryKeyValueStore({ prefix });
}
