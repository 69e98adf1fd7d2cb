import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from './kv.types';

/**
 * Opens a store whose keys and channels live under `namespace`. Stores opened with the same namespace
 * must share state the way two gateway replicas share one Redis; different namespaces must not.
 */
export type KeyValueStoreFactory = (namespace: string) => KeyValueStore | Promise<KeyValueStore>;

/** Resolves once `predicate` holds, polling briefly; fails the test after `timeoutMs`. */
async function eventually(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** The behaviour every KeyValueStore must share, run against each implementation. */
export function describeKeyValueStoreContract(name: string, factory: KeyValueStoreFactory): void {
  describe(`${name} (KeyValueStore contract)`, () => {
    const opened: KeyValueStore[] = [];
    let testNumber = 0;
    let namespace = '';

    beforeEach(() => {
      namespace = `t${++testNumber}`;
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    async function open(suffix = ''): Promise<KeyValueStore> {
      const store = await factory(namespace + suffix);
      opened.push(store);
      return store;
    }

    /** Publishes a marker after everything else; once it arrives, earlier messages would have too. */
    async function flushMessages(subscriber: KeyValueStore, publisher: KeyValueStore): Promise<void> {
      let arrived = false;
      const stop = await subscriber.subscribe('flush-marker', () => (arrived = true));
      await publisher.publish('flush-marker', 'done');
      await eventually(() => arrived);
      await stop();
    }

    describe('get and set', () => {
      it('returns undefined for a missing key and the stored value otherwise', async () => {
        const store = await open();
        expect(await store.get('missing')).toBeUndefined();
        await store.set('greeting', 'hello');
        expect(await store.get('greeting')).toBe('hello');
        await store.set('greeting', 'again');
        expect(await store.get('greeting')).toBe('again');
      });

      it('expires a key after its ttl and reports the remaining ttl until then', async () => {
        const store = await open();
        await store.set('short', 'lived', 60);
        expect(await store.get('short')).toBe('lived');
        const remaining = await store.ttl('short');
        expect(remaining).toBeGreaterThan(0);
        expect(remaining).toBeLessThanOrEqual(60);
        await sleep(90);
        expect(await store.get('short')).toBeUndefined();
        expect(await store.ttl('short')).toBeUndefined();
      });

      it('reports no ttl for a missing key or a key without expiry', async () => {
        const store = await open();
        expect(await store.ttl('missing')).toBeUndefined();
        await store.set('forever', 'x');
        expect(await store.ttl('forever')).toBeUndefined();
      });

      it('drops an earlier expiry when a key is set again without ttl', async () => {
        const store = await open();
        await store.set('key', 'first', 50);
        await store.set('key', 'second');
        expect(await store.ttl('key')).toBeUndefined();
        await sleep(80);
        expect(await store.get('key')).toBe('second');
      });

      it('rejects a ttl that is not a positive number', async () => {
        const store = await open();
        await expect(store.set('key', 'v', 0)).rejects.toThrow(RangeError);
        await expect(store.set('key', 'v', -5)).rejects.toThrow(RangeError);
        await expect(store.increment('key', 1, Number.NaN)).rejects.toThrow(RangeError);
        expect(await store.get('key')).toBeUndefined();
      });
    });

    describe('setIfAbsent', () => {
      it('sets only the first time and leaves the first value in place', async () => {
        const store = await open();
        expect(await store.setIfAbsent('lock', 'first')).toBe(true);
        expect(await store.setIfAbsent('lock', 'second')).toBe(false);
        expect(await store.get('lock')).toBe('first');
      });

      it('can set again once the earlier value expired', async () => {
        const store = await open();
        expect(await store.setIfAbsent('lock', 'first', 50)).toBe(true);
        expect(await store.ttl('lock')).toBeGreaterThan(0);
        await sleep(80);
        expect(await store.setIfAbsent('lock', 'second', 1_000)).toBe(true);
        expect(await store.get('lock')).toBe('second');
      });

      it('lets exactly one of many concurrent callers win', async () => {
        const [a, b] = [await open(), await open()];
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).setIfAbsent('leader', `replica-${i}`)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('delete', () => {
      it('removes a key and ignores a missing one', async () => {
        const store = await open();
        await store.set('key', 'value', 10_000);
        await store.delete('key');
        expect(await store.get('key')).toBeUndefined();
        expect(await store.ttl('key')).toBeUndefined();
        await expect(store.delete('never-existed')).resolves.toBeUndefined();
      });
    });

    describe('increment', () => {
      it('starts a missing counter at zero and adds positive and negative steps', async () => {
        const store = await open();
        expect(await store.increment('counter')).toBe(1);
        expect(await store.increment('counter', 5)).toBe(6);
        expect(await store.increment('counter', -10)).toBe(-4);
        expect(await store.get('counter')).toBe('-4');
        expect(await store.increment('fresh', -3)).toBe(-3);
      });

      it('sets the ttl only when it creates the counter', async () => {
        const store = await open();
        expect(await store.increment('window', 1, 60)).toBe(1);
        expect(await store.increment('window', 1, 60_000)).toBe(2);
        expect(await store.ttl('window')).toBeLessThanOrEqual(60);
        await sleep(90);
        expect(await store.get('window')).toBeUndefined();
        expect(await store.increment('window', 1, 60_000)).toBe(1);
        expect(await store.ttl('window')).toBeGreaterThan(59_000);
      });

      it('neither adds an expiry to an existing counter nor removes one', async () => {
        const store = await open();
        await store.set('permanent', '10');
        expect(await store.increment('permanent', 1, 50)).toBe(11);
        expect(await store.ttl('permanent')).toBeUndefined();
        await store.increment('expiring', 1, 5_000);
        await store.increment('expiring', 1);
        expect(await store.ttl('expiring')).toBeGreaterThan(4_000);
      });

      it('counts exactly under 200 concurrent increments from two replicas', async () => {
        const [a, b] = [await open(), await open()];
        const results = await Promise.all(
          Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).increment('hits', 1, 10_000)),
        );
        expect(new Set(results).size).toBe(200);
        expect(Math.max(...results)).toBe(200);
        expect(await a.get('hits')).toBe('200');
        expect(await b.ttl('hits')).toBeGreaterThan(9_000);
      });

      it('rejects a step that is not an integer, and a value that is not one', async () => {
        const store = await open();
        await expect(store.increment('counter', 1.5)).rejects.toThrow(RangeError);
        await store.set('text', 'abc');
        await expect(store.increment('text')).rejects.toThrow(/not an integer/);
        await store.set('decimal', '1.5');
        await expect(store.increment('decimal')).rejects.toThrow(/not an integer/);
        expect(await store.get('decimal')).toBe('1.5');
      });
    });

    describe('incrementFloat', () => {
      it('adds decimal amounts without binary noise and reads back as a number string', async () => {
        const store = await open();
        expect(await store.incrementFloat('spend', 0.1)).toBe(0.1);
        expect(await store.incrementFloat('spend', 0.2)).toBe(0.3);
        expect(await store.get('spend')).toBe('0.3');
        expect(await store.incrementFloat('spend', -1.25)).toBe(-0.95);
        await store.set('integer', '2');
        expect(await store.incrementFloat('integer', 0.5)).toBe(2.5);
      });

      it('sets the ttl only when it creates the amount', async () => {
        const store = await open();
        await store.incrementFloat('spend', 1.5, 60);
        await store.incrementFloat('spend', 1.5, 60_000);
        expect(await store.ttl('spend')).toBeLessThanOrEqual(60);
        await sleep(90);
        expect(await store.get('spend')).toBeUndefined();
      });

      it('sums concurrent amounts exactly', async () => {
        const [a, b] = [await open(), await open()];
        await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).incrementFloat('spend', 0.25, 10_000)));
        expect(await a.get('spend')).toBe('25');
      });

      it('rejects a value that is not a number', async () => {
        const store = await open();
        await expect(store.incrementFloat('spend', Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
        await store.set('text', 'abc');
        await expect(store.incrementFloat('text', 1)).rejects.toThrow(/not a valid float/);
      });
    });

    describe('publish and subscribe', () => {
      it('delivers messages in order to subscribers of another replica and of the publisher itself', async () => {
        const [publisher, other] = [await open(), await open()];
        const onOther: string[] = [];
        const onPublisher: string[] = [];
        await other.subscribe('events', (message) => onOther.push(message));
        await publisher.subscribe('events', (message) => onPublisher.push(message));
        for (const message of ['one', 'two', 'three']) await publisher.publish('events', message);
        await eventually(() => onOther.length === 3 && onPublisher.length === 3);
        expect(onOther).toEqual(['one', 'two', 'three']);
        expect(onPublisher).toEqual(['one', 'two', 'three']);
      });

      it('delivers to every handler of a channel, even when one of them throws', async () => {
        const [publisher, subscriber] = [await open(), await open()];
        const received: string[] = [];
        await subscriber.subscribe('events', () => {
          throw new Error('handler failure (expected by this test)');
        });
        await subscriber.subscribe('events', (message) => received.push(`first:${message}`));
        await subscriber.subscribe('events', (message) => received.push(`second:${message}`));
        await subscriber.subscribe('other', (message) => received.push(`other:${message}`));
        await publisher.publish('events', 'hello');
        await eventually(() => received.length === 2);
        await flushMessages(subscriber, publisher);
        expect(received.sort()).toEqual(['first:hello', 'second:hello']);
      });

      it('stops delivering to a handler once it unsubscribed, leaving the others', async () => {
        const [publisher, subscriber] = [await open(), await open()];
        const kept: string[] = [];
        const dropped: string[] = [];
        await subscriber.subscribe('events', (message) => kept.push(message));
        const unsubscribe = await subscriber.subscribe('events', (message) => dropped.push(message));
        await publisher.publish('events', 'before');
        await eventually(() => kept.length === 1);
        expect(dropped).toEqual(['before']);

        await unsubscribe();
        await unsubscribe();
        await publisher.publish('events', 'after');
        await eventually(() => kept.length === 2);
        expect(dropped).toEqual(['before']);
      });

      it('stops delivering on a channel whose last handler unsubscribed, and can subscribe again', async () => {
        const [publisher, subscriber] = [await open(), await open()];
        const received: string[] = [];
        const unsubscribe = await subscriber.subscribe('events', (message) => received.push(message));
        await unsubscribe();
        await publisher.publish('events', 'nobody listens');
        await flushMessages(subscriber, publisher);
        expect(received).toEqual([]);

        await subscriber.subscribe('events', (message) => received.push(message));
        await publisher.publish('events', 'listening again');
        await eventually(() => received.length === 1);
        expect(received).toEqual(['listening again']);
      });

      it('survives unsubscribing and resubscribing without waiting in between', async () => {
        const [publisher, subscriber] = [await open(), await open()];
        const received: string[] = [];
        const first = await subscriber.subscribe('events', () => undefined);
        const [, second] = await Promise.all([first(), subscriber.subscribe('events', (m) => received.push(m))]);
        await publisher.publish('events', 'still here');
        await eventually(() => received.length === 1);
        await second();
      });
    });

    describe('prefix isolation', () => {
      it('keeps keys, counters and channels of different prefixes apart', async () => {
        const [a, b] = [await open('a'), await open('b')];
        await a.set('shared-name', 'from a');
        expect(await b.get('shared-name')).toBeUndefined();
        expect(await b.setIfAbsent('shared-name', 'from b')).toBe(true);
        expect(await a.get('shared-name')).toBe('from a');

        await a.increment('counter', 5);
        expect(await b.increment('counter')).toBe(1);

        const onB: string[] = [];
        await b.subscribe('events', (message) => onB.push(message));
        await a.publish('events', 'for a only');
        await b.publish('events', 'for b');
        await eventually(() => onB.length === 1);
        await flushMessages(b, b);
        expect(onB).toEqual(['for b']);
      });
    });

    describe('lifecycle', () => {
      it('answers ping while open, closes idempotently and refuses work afterwards', async () => {
        const store = await open();
        await expect(store.ping()).resolves.toBeUndefined();
        await store.subscribe('events', () => undefined);
        await store.close();
        await store.close();
        await expect(store.ping()).rejects.toThrow();
        await expect(store.get('key')).rejects.toThrow();
      });
    });
  });
}
