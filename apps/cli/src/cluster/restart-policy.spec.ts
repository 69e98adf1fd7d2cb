import { describe, expect, it } from 'vitest';
import { RestartPolicy } from './restart-policy';

const MINUTE = 60_000;

describe('RestartPolicy', () => {
  it('doubles the delay from 1 s up to 30 s while the process keeps crashing within a minute', () => {
    const policy = new RestartPolicy();
    // 20 s of uptime: not a crash loop, not stable either.
    const delays = Array.from({ length: 8 }, () => policy.onCrash(20_000));
    expect(delays.map((d) => (d.action === 'restart' ? d.delayMs : d.action))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over at 1 s after the process stayed up for a minute', () => {
    const policy = new RestartPolicy();
    policy.onCrash(20_000);
    policy.onCrash(20_000);
    expect(policy.onCrash(20_000)).toEqual({ action: 'restart', delayMs: 4_000 });
    expect(policy.onCrash(MINUTE)).toEqual({ action: 'restart', delayMs: 1_000 });
    expect(policy.onCrash(20_000)).toEqual({ action: 'restart', delayMs: 2_000 });
  });

  it('gives up on the fifth crash in a row within 10 s of starting', () => {
    const policy = new RestartPolicy();
    const decisions = Array.from({ length: 5 }, () => policy.onCrash(500));
    expect(decisions.slice(0, 4).map((d) => d.action)).toEqual(['restart', 'restart', 'restart', 'restart']);
    expect(decisions[4]).toEqual({ action: 'give-up', quickCrashes: 5 });
  });

  it('counts only quick crashes that follow each other', () => {
    const policy = new RestartPolicy();
    for (let i = 0; i < 4; i++) expect(policy.onCrash(500).action).toBe('restart');
    // A run of 15 s breaks the streak: four more quick crashes are tolerated.
    expect(policy.onCrash(15_000).action).toBe('restart');
    for (let i = 0; i < 4; i++) expect(policy.onCrash(500).action).toBe('restart');
    expect(policy.onCrash(500).action).toBe('give-up');
  });
});
