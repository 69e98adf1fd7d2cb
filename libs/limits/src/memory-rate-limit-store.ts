import type { AdmitCommand, AdmitOutcome, CounterUsage, RateLimitStore, SettleCommand } from './rate-limit-store';

interface Window {
  start: number;
  requests: number;
  tokens: number;
}

export interface MemoryRateLimitStoreOptions {
  /** Milliseconds since the epoch; injectable so tests can move time. Default `Date.now`. */
  now?: () => number;
}

/**
 * Rate-limit counters in this process, for running without Redis. Every method runs to completion without
 * awaiting, so check-then-charge is atomic among the callers of one instance (share one instance between
 * the limiters of a process).
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly now: () => number;
  private readonly windows = new Map<string, Window>();
  /** counter -> slot id -> lease expiry. */
  private readonly slots = new Map<string, Map<string, number>>();
  private lastSweep = 0;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async admit(command: AdmitCommand): Promise<AdmitOutcome> {
    const now = this.now();
    this.sweep(now, command.windowMs);
    const current: (Window | undefined)[] = [];
    for (const [index, check] of command.checks.entries()) {
      let window: Window | undefined;
      if (check.rpm !== undefined || check.tpm !== undefined) {
        window = this.liveWindow(check.counter, now, command.windowMs) ?? { start: now, requests: 0, tokens: 0 };
        const retryAfterMs = window.start + command.windowMs - now;
        if (check.rpm !== undefined && window.requests + 1 > check.rpm) return { admitted: false, checkIndex: index, limit: 'rpm', retryAfterMs };
        if (check.tpm !== undefined && window.tokens + command.tokens > check.tpm) {
          return { admitted: false, checkIndex: index, limit: 'tpm', retryAfterMs };
        }
      }
      if (check.parallel !== undefined && this.liveSlots(check.counter, now).size + 1 > check.parallel) {
        return { admitted: false, checkIndex: index, limit: 'parallel', retryAfterMs: 1_000 };
      }
      current.push(window);
    }

    const usage: CounterUsage[] = command.checks.map((check, index) => {
      const window = current[index];
      if (check.parallel !== undefined) this.slotsOf(check.counter).set(command.slotId, now + command.slotLeaseMs);
      if (!window) return { requests: 0, tokens: 0, resetInMs: 0 };
      window.requests += 1;
      window.tokens += command.tokens;
      this.windows.set(check.counter, window);
      return { windowStart: window.start, requests: window.requests, tokens: window.tokens, resetInMs: window.start + command.windowMs - now };
    });
    return { admitted: true, usage };
  }

  async settle(command: SettleCommand): Promise<void> {
    const now = this.now();
    const delta = command.tokenDelta;
    for (const { counter, windowStart } of command.reservations) {
      const window = this.liveWindow(counter, now, command.windowMs);
      if (window && window.start === windowStart) {
        window.tokens = Math.max(0, window.tokens + delta);
        window.requests = Math.max(0, window.requests + command.requestDelta);
      } else if (delta > 0 && window) window.tokens += delta;
      else if (delta > 0) this.windows.set(counter, { start: now, requests: 0, tokens: delta });
    }
    for (const counter of command.slotCounters) this.slots.get(counter)?.delete(command.slotId);
  }

  private liveWindow(counter: string, now: number, windowMs: number): Window | undefined {
    const window = this.windows.get(counter);
    return window && now - window.start < windowMs ? window : undefined;
  }

  private liveSlots(counter: string, now: number): Map<string, number> {
    const slots = this.slotsOf(counter);
    for (const [slotId, expiresAt] of slots) if (expiresAt <= now) slots.delete(slotId);
    return slots;
  }

  private slotsOf(counter: string): Map<string, number> {
    let slots = this.slots.get(counter);
    if (!slots) this.slots.set(counter, (slots = new Map()));
    return slots;
  }

  /** Drops ended windows and empty slot sets once per window, so idle scopes do not pile up. */
  private sweep(now: number, windowMs: number): void {
    if (now - this.lastSweep < windowMs) return;
    this.lastSweep = now;
    for (const [counter, window] of this.windows) if (now - window.start >= windowMs) this.windows.delete(counter);
    for (const [counter] of this.slots) if (this.liveSlots(counter, now).size === 0) this.slots.delete(counter);
  }
}
