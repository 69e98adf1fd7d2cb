import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createKeyValueStore } from './create-key-value-store';
import { KvModule } from './kv.module';
import { KEY_VALUE_STORE, KeyValueStore } from './kv.types';
import { MemoryKeyValueStore } from './memory-key-value-store';
import { RedisKeyValueStore } from './redis-key-value-store';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Lives in a module that does not import KvModule, so it only resolves if KvModule is global. */
@Injectable()
class StoreUser {
  constructor(@Inject(KEY_VALUE_STORE) readonly store: KeyValueStore) {}
}

@Module({ providers: [StoreUser] })
class FeatureModule {}

describe('createKeyValueStore', () => {
  it('uses memory without a Redis URL and Redis with one', async () => {
    const memory = createKeyValueStore();
    const redis = createKeyValueStore({ redisUrl });
    expect(memory).toBeInstanceOf(MemoryKeyValueStore);
    expect(redis).toBeInstanceOf(RedisKeyValueStore);
    await Promise.all([memory.close(), redis.close()]);
  });

  it('prefixes keys with "tollgate:" unless told otherwise', async () => {
    const key = `kv-default-prefix-test:${randomUUID()}`;
    const admin = new Redis(redisUrl);
    const withDefault = createKeyValueStore({ redisUrl });
    const withCustom = createKeyValueStore({ redisUrl, prefix: 'tollgate-test:custom:' });
    try {
      await withDefault.set(key, 'default', 10_000);
      await withCustom.set(key, 'custom', 10_000);
      expect(await admin.get(`tollgate:${key}`)).toBe('default');
      expect(await admin.get(`tollgate-test:custom:${key}`)).toBe('custom');
    } finally {
      await admin.del(`tollgate:${key}`, `tollgate-test:custom:${key}`);
      await Promise.all([admin.quit(), withDefault.close(), withCustom.close()]);
    }
  });
});

describe('KvModule', () => {
  it('provides one store application-wide and closes it on shutdown', async () => {
    @Module({ imports: [KvModule.forRoot(), FeatureModule] })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const store = app.get<KeyValueStore>(KEY_VALUE_STORE);
    expect(store).toBeInstanceOf(MemoryKeyValueStore);
    expect(app.get(StoreUser).store).toBe(store);
    await store.set('key', 'value');

    await app.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });

  it('takes its options from another provider with forRootAsync', async () => {
    const SETTINGS = Symbol('SETTINGS');
    @Module({ providers: [{ provide: SETTINGS, useValue: { redisUrl } }], exports: [SETTINGS] })
    class SettingsModule {}
    @Module({
      imports: [
        KvModule.forRootAsync({
          imports: [SettingsModule],
          inject: [SETTINGS],
          useFactory: (settings: { redisUrl: string }) => ({ redisUrl: settings.redisUrl, prefix: 'tollgate-test:async:' }),
        }),
        FeatureModule,
      ],
    })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const store = app.get(StoreUser).store;
    expect(store).toBeInstanceOf(RedisKeyValueStore);
    await expect(store.ping()).resolves.toBeUndefined();
    await app.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });
});
