import type { CallerIdentity } from '@tollgate/auth';
import { MemoryKeyValueSpace, MemoryKeyValueStore } from '@tollgate/kv';
import { describe, expect, it } from 'vitest';
import { IdentityCache } from './identity-cache';

const identity = (keyHash: string): CallerIdentity => ({ keyHash, isMaster: false, role: 'internal_user' });

describe('IdentityCache', () => {
  it('loads a key once and then answers from memory, synchronously', async () => {
    let loads = 0;
    const cache = new IdentityCache(async (hash) => {
      loads++;
      return identity(hash);
    }, new MemoryKeyValueStore({}));
    await cache.start();
    const first = await cache.resolve('h1');
    expect(first?.keyHash).toBe('h1');
    const second = cache.resolve('h1');
    expect(second).not.toBeInstanceOf(Promise);
    expect(loads).toBe(1);
    await cache.stop();
  });

  it('shares one load between concurrent requests for the same key', async () => {
    let loads = 0;
    const cache = new IdentityCache(async (hash) => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return identity(hash);
    }, new MemoryKeyValueStore({}));
    await Promise.all([cache.resolve('h'), cache.resolve('h'), cache.resolve('h')]);
    expect(loads).toBe(1);
  });

  it('forgets everything on every replica when a change is published', async () => {
    const space = new MemoryKeyValueSpace({});
    let loads = 0;
    const load = async (hash: string) => {
      loads++;
      return identity(hash);
    };
    const replicaA = new IdentityCache(load, new MemoryKeyValueStore({ space }));
    const replicaB = new IdentityCache(load, new MemoryKeyValueStore({ space }));
    await replicaA.start();
    await replicaB.start();
    await replicaB.resolve('h');
    expect(loads).toBe(1);
    await replicaA.publishChange('key h blocked');
    await new Promise((r) => setTimeout(r, 20));
    await replicaB.resolve('h');
    expect(loads).toBe(2);
    await replicaA.stop();
    await replicaB.stop();
  });

  it('does not keep an answer loaded while a change was published (it may be stale)', async () => {
    let release: () => void = () => undefined;
    let loads = 0;
    const cache = new IdentityCache(async (hash) => {
      loads++;
      if (loads === 1) await new Promise<void>((r) => (release = r));
      return identity(hash);
    }, new MemoryKeyValueStore({}));
    const pending = cache.resolve('h');
    cache.clear();
    release();
    await pending;
    await cache.resolve('h');
    expect(loads).toBe(2);
  });
});
