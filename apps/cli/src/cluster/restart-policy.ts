export interface RestartPolicyOptions {
  /** Delay before the first restart; doubles with each crash until the process stays up for `stableMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A process that ran this long was healthy: its next crash starts the backoff over. */
  stableMs: number;
  /** A process that dies sooner than this after starting is crash-looping... */
  quickCrashMs: number;
  /** ...and after this many such crashes in a row, restarting it again is pointless. */
  maxQuickCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableMs: 60_000,
  quickCrashMs: 10_000,
  maxQuickCrashes: 5,
};

export type RestartDecision = { action: 'restart'; delayMs: number } | { action: 'give-up'; quickCrashes: number };

/** Decides, for one supervised process slot, whether and when to restart it after each crash. */
export class RestartPolicy {
  private crashes = 0;
  private quickCrashes = 0;

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** The process in this slot died after running `uptimeMs`. */
  onCrash(uptimeMs: number): RestartDecision {
    const { initialDelayMs, maxDelayMs, stableMs, quickCrashMs, maxQuickCrashes } = this.options;
    if (uptimeMs >= stableMs) this.crashes = 0;
    this.quickCrashes = uptimeMs < quickCrashMs ? this.quickCrashes + 1 : 0;
    if (this.quickCrashes >= maxQuickCrashes) return { action: 'give-up', quickCrashes: this.quickCrashes };
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** this.crashes);
    this.crashes += 1;
    return { action: 'restart', delayMs };
  }
}
