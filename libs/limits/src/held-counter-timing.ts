/** A held counter unused this long, with nothing left to send, is dropped; its next use waits for an exchange. */
export const HELD_COUNTER_IDLE_MS = 1_000;
/** How often an exchange reads again a held counter that was not used since it last left. */
export const DEFAULT_IDLE_REFRESH_MS = 100;

/**
 * When a counter a synced store holds was last used and last sent: decides whether the next exchange carries
 * it (used since, or not read for `refreshMs`) and when it may be dropped. Shared by the synced stores.
 */
export class HeldCounterTiming {
  private lastUsed: number;
  private usedSinceSent = true;
  /** -1: never sent. */
  private lastSent = -1;

  constructor(now: number) {
    this.lastUsed = now;
  }

  used(now: number): void {
    this.lastUsed = now;
    this.usedSinceSent = true;
  }

  sent(now: number): void {
    this.lastSent = now;
    this.usedSinceSent = false;
  }

  /** The exchange that carried it failed: the next one carries it again. */
  sendFailed(): void {
    this.usedSinceSent = true;
  }

  idle(now: number): boolean {
    return now - this.lastUsed > HELD_COUNTER_IDLE_MS;
  }

  due(now: number, refreshMs: number): boolean {
    return this.usedSinceSent || now - this.lastSent >= refreshMs;
  }
}
