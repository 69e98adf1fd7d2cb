import { DynamicModule, Inject, Injectable, Module, ModuleMetadata, OnApplicationShutdown } from '@nestjs/common';
import { createKeyValueStore, KeyValueStoreOptions } from './create-key-value-store';
import { KEY_VALUE_STORE, KeyValueStore } from './kv.types';

export type KvModuleOptions = KeyValueStoreOptions;

export interface KvModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<string | symbol | Function>;
  useFactory: (...dependencies: any[]) => KvModuleOptions | Promise<KvModuleOptions>;
}

/**
 * Closes the store on `onApplicationShutdown`, the last shutdown hook, so that other modules can still
 * use it in their own `onModuleDestroy` (for example to flush counters).
 */
@Injectable()
class KeyValueStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Provides `KEY_VALUE_STORE` to the whole application: Redis when a URL is configured, memory otherwise. */
@Module({})
export class KvModule {
  static forRoot(options: KvModuleOptions = {}): DynamicModule {
    return {
      module: KvModule,
      global: true,
      providers: [{ provide: KEY_VALUE_STORE, useFactory: () => createKeyValueStore(options) }, KeyValueStoreCloser],
      exports: [KEY_VALUE_STORE],
    };
  }

  /** For options that come from another provider, such as the loaded configuration. */
  static forRootAsync(options: KvModuleAsyncOptions): DynamicModule {
    return {
      module: KvModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: KEY_VALUE_STORE,
          inject: options.inject ?? [],
          useFactory: async (...dependencies: unknown[]) => createKeyValueStore(await options.useFactory(...dependencies)),
        },
        KeyValueStoreCloser,
      ],
      exports: [KEY_VALUE_STORE],
    };
  }
}
