import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { describeKeyValueStoreContract } from './key-value-store.contract';
import { MemoryKeyValueSpace } from './memory-key-value-space';
import { MemoryKeyValueStore } from './memory-key-value-store';

// One space for the whole file plays the part of one Redis server shared by all replicas.
const space = new MemoryKeyValueSpace();
afterAll(() => space.dispose());

describeKeyValueStoreContract('MemoryKeyValueStore', (namespace) =>
  new MemoryKeyValueStore({ space, prefix: `${namespace}:` }),
);

describe('MemoryKeyValueStore', () => {
  it('sweeps expired entries nobody reads again', async () => {
    const sweptSpace = new MemoryKeyValueSpace({ sweepIntervalMs: 20 });
    const store = new MemoryKeyValueStore({ space: sweptSpace });
    for (let i = 0; i < 100; i++) await store.set(`key-${i}`, 'value', 10);
    await store.set('kept', 'value');
    expect(sweptSpace.size).toBe(101);
    await sleep(80);
    expect(sweptSpace.size).toBe(1);
    sweptSpace.dispose();
  });

  it('delivers published messages after publish returns, never inside it', async () => {
    const store = new MemoryKeyValueStore();
    const received: string[] = [];
    await store.subscribe('events', (message) => received.push(message));
    await store.publish('events', 'later');
    expect(received).toEqual([]);
    await sleep(5);
    expect(received).toEqual(['later']);
    await store.close();
  });

  it('does not deliver a message to a subscriber that joined after it was published', async () => {
    const store = new MemoryKeyValueStore();
    const received: string[] = [];
    await store.publish('events', 'too early');
    await store.subscribe('events', (message) => received.push(message));
    await sleep(5);
    expect(received).toEqual([]);
    await store.close();
  });

  it('leaves a shared space usable by other stores when one store closes', async () => {
    const shared = new MemoryKeyValueSpace();
    const closing = new MemoryKeyValueStore({ space: shared });
    const staying = new MemoryKeyValueStore({ space: shared });
    await closing.set('key', 'value');
    await closing.close();
    expect(await staying.get('key')).toBe('value');
    shared.dispose();
  });
});
