import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { closeConnection } from './redis-connection';

type Handler = (message: string) => void;

/**
 * All subscriptions of one store on one dedicated connection (a Redis connection in subscriber mode can run
 * no other command), opened on the first subscribe. Each channel is SUBSCRIBEd once however many handlers
 * listen to it. SUBSCRIBE/UNSUBSCRIBE run one at a time and each first re-reads whether the channel is
 * still wanted, so a quick unsubscribe-then-subscribe can never leave a channel with handlers unsubscribed.
 */
export class RedisChannelSubscriber {
  private connection?: Redis;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly subscribed = new Set<string>();
  private pending: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly openConnection: () => Redis,
    private readonly logger: Logger,
  ) {}

  /** Adds a handler; resolves once Redis confirms the channel subscription. */
  async add(channel: string, handler: Handler): Promise<() => Promise<void>> {
    // A fresh wrapper per call, so the same function subscribed twice is also removed one at a time.
    const entry: Handler = (message) => handler(message);
    let handlers = this.handlers.get(channel);
    if (handlers === undefined) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
    }
    handlers.add(entry);
    try {
      await this.reconcile(channel);
    } catch (error) {
      this.removeHandler(channel, entry);
      throw error;
    }
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      this.removeHandler(channel, entry);
      // Delivery to this handler has already stopped; a failed UNSUBSCRIBE only leaves a server-side
      // subscription whose messages are dropped, and it ends when the connection closes.
      await this.reconcile(channel).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    this.subscribed.clear();
    const connection = this.connection;
    if (connection === undefined) return;
    await closeConnection(connection);
  }

  private removeHandler(channel: string, entry: Handler): void {
    const handlers = this.handlers.get(channel);
    handlers?.delete(entry);
    if (handlers?.size === 0) this.handlers.delete(channel);
  }

  private reconcile(channel: string): Promise<void> {
    const run = this.pending.then(async () => {
      const wanted = this.handlers.has(channel);
      const active = this.subscribed.has(channel);
      if (wanted && !active) {
        await this.subscriberConnection().subscribe(channel);
        this.subscribed.add(channel);
      } else if (!wanted && active) {
        this.subscribed.delete(channel);
        await this.subscriberConnection().unsubscribe(channel);
      }
    });
    this.pending = run.catch(() => undefined);
    return run;
  }

  private subscriberConnection(): Redis {
    if (this.closed) throw new Error('Connection is closed.');
    if (this.connection === undefined) {
      this.connection = this.openConnection();
      this.connection.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    }
    return this.connection;
  }

  private dispatch(channel: string, message: string): void {
    const handlers = this.handlers.get(channel);
    if (handlers === undefined) return;
    for (const handler of [...handlers]) {
      try {
        handler(message);
      } catch (error) {
        this.logger.error(`Subscriber of channel "${channel}" failed: ${String(error)}`);
      }
    }
  }
}
