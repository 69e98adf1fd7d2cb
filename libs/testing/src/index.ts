export { createTestDatabase, testDatabaseServerUrl, DEFAULT_TEST_DATABASE_URL } from './test-database';
export type { TestDatabase, CreateTestDatabaseOptions } from './test-database';
export { testRedisUrl, uniquePrefix, redisTestScope, DEFAULT_TEST_REDIS_URL } from './test-redis';
export type { RedisTestScope } from './test-redis';
export { parsePrismaSchema, attribute, nativeType, listArgument, stringArgument } from './prisma-schema';
export type { PrismaSchema, SchemaModel, SchemaField, SchemaIndex, SchemaEnum, SchemaAttribute } from './prisma-schema';
export { SampleValues, comparable } from './prisma-samples';
export { callerIdentity } from './caller-identity';
export type { CallerIdentityParts } from './caller-identity';
