import { describe, expect, it } from 'vitest';
import { HELD_COUNTER_IDLE_MS, HeldCounterTiming } from './held-counter-timing';

describe('HeldCounterTiming', () => {
  it('is due when used since it was sent, or when not read for the refresh period', () => {
    const timing = new HeldCounterTiming(0);
    expect(timing.due(0, 100)).toBe(true); // never sent
    timing.sent(10);
    expect(timing.due(50, 100)).toBe(false);
    expect(timing.due(110, 100)).toBe(true);
    timing.sent(110);
    timing.used(120);
    expect(timing.due(121, 100)).toBe(true);
  });

  it('is due again at once after a failed exchange', () => {
    const timing = new HeldCounterTiming(0);
    timing.sent(10);
    timing.sendFailed();
    expect(timing.due(11, 60_000)).toBe(true);
  });

  it('is idle once unused for longer than the idle period, whatever was sent', () => {
    const timing = new HeldCounterTiming(0);
    timing.sent(HELD_COUNTER_IDLE_MS);
    expect(timing.idle(HELD_COUNTER_IDLE_MS)).toBe(false);
    expect(timing.idle(HELD_COUNTER_IDLE_MS + 1)).toBe(true);
    timing.used(HELD_COUNTER_IDLE_MS + 1);
    expect(timing.idle(HELD_COUNTER_IDLE_MS + 2)).toBe(false);
  });
});
