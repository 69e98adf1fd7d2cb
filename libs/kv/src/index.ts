export * from './kv.types';
export * from './kv.errors';
export * from './memory-key-value-space';
export * from './memory-key-value-store';
export * from './redis-key-value-store';
export { describeRedisUrl, redisOptions } from './redis-connection';
export type { RedisConnectionSettings } from './redis-connection';
export * from './create-key-value-store';
export * from './kv.module';
