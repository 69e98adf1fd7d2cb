import { Logger } from '@nestjs/common';
import type { GatewayEvents } from '@tollgate/observability';
import type { Deployment } from '@tollgate/providers';
import { deploymentCooldownEvent } from './cooldown-event';
import { cooldownDurationMs, cooldownReason, countsTowardsCooldown, type MinuteCounts } from './cooldown-rules';
import { DEFAULT_COOLDOWN_SETTINGS, type CooldownSettings } from './cooldown-settings';
import { EXTENSION_SLACK_MS, type CooldownStore, type StoredCooldown } from './cooldown-store';
import type { Cooldown, Cooldowns, FailureClass } from './cooldowns';
import { CooldownTable } from './cooldown-table';
import { MemoryCooldownStore } from './memory-cooldown-store';

export interface CooldownOptions {
  settings?: Partial<CooldownSettings>;
  /** Receives a `deployment_cooldown` event for every cooldown this replica starts. */
  events?: GatewayEvents;
  clock?: () => number;
  /** How often successes counted here are added to the shared counts (default 1 s). */
  successFlushMs?: number;
  /** How often a shared store is re-read, in case an announcement was lost to a dropped connection (default 10 s). */
  resyncMs?: number;
}

/** Store outages are logged at most this often: during one, every failed request would log otherwise. */
const OUTAGE_LOG_INTERVAL_MS = 30_000;

/**
 * LiteLLM's cooldown rules over a store. Reads come from this replica's table, which every replica keeps
 * current through the store's announcements, so the request path never waits. When the store fails (Redis
 * down), failures are counted and cooldowns kept in this process until it is back: degraded to one replica's
 * view rather than no cooldowns at all.
 */
export class CooldownTracker implements Cooldowns {
  private readonly logger = new Logger('Cooldowns');
  private readonly settings: CooldownSettings;
  private readonly table = new CooldownTable();
  private readonly fallback = new MemoryCooldownStore();
  private readonly clock: () => number;
  private pendingSuccesses = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private lastOutageLog = 0;

  constructor(
    private readonly store: CooldownStore,
    private readonly options: CooldownOptions = {},
  ) {
    this.settings = { ...DEFAULT_COOLDOWN_SETTINGS, ...options.settings };
    this.clock = options.clock ?? Date.now;
  }

  isCoolingDown(deploymentId: string, now: number = this.clock()): boolean {
    return this.table.isCoolingDown(deploymentId, now);
  }

  nextAvailableAt(deploymentIds: readonly string[], now: number = this.clock()): number | undefined {
    return this.table.nextAvailableAt(deploymentIds, now);
  }

  recordSuccess(deploymentId: string): void {
    if (this.settings.disableCooldowns) return;
    this.pendingSuccesses.set(deploymentId, (this.pendingSuccesses.get(deploymentId) ?? 0) + 1);
  }

  async recordFailure(deployment: Deployment, failure: FailureClass, status: number, retryAfterMs?: number): Promise<Cooldown | undefined> {
    if (!countsTowardsCooldown(failure, status, this.settings)) return undefined;
    const successes = this.pendingSuccesses.get(deployment.id) ?? 0;
    this.pendingSuccesses.delete(deployment.id);
    const now = this.clock();
    let counts: MinuteCounts;
    try {
      counts = await this.store.countFailure(deployment.id, failure, successes, now);
    } catch (err) {
      this.storeFailed('count a failure', err);
      counts = await this.fallback.countFailure(deployment.id, failure, successes, now);
    }
    const reason = cooldownReason(failure, status, counts, this.settings);
    if (reason === undefined) return undefined;
    return this.coolDown(deployment, cooldownDurationMs(deployment, this.settings, retryAfterMs), reason, status);
  }

  async coolDown(deployment: Deployment, ms: number, reason: string, status?: number): Promise<Cooldown | undefined> {
    if (this.settings.disableCooldowns || !(ms > 0)) return undefined;
    const now = this.clock();
    const cooldown: StoredCooldown = { deploymentId: deployment.id, until: Math.round(now + ms) };
    // Out of rotation here at once; the store then tells the other replicas.
    this.table.note(cooldown.deploymentId, cooldown.until);
    let previous: number;
    try {
      previous = await this.store.save(cooldown, now);
    } catch (err) {
      this.storeFailed('store a cooldown', err);
      previous = await this.fallback.save(cooldown, now);
    }
    const until = Math.max(previous, cooldown.until);
    const result: Cooldown = { deploymentId: deployment.id, until, reason };
    // Already cooling down (another replica or request got there first): nothing new to tell.
    if (previous >= cooldown.until - EXTENSION_SLACK_MS) {
      this.table.note(deployment.id, previous);
      return result;
    }
    if (previous <= now) this.options.events?.emit('deployment_cooldown', deploymentCooldownEvent(deployment, result, status));
    await this.store.announce(cooldown).catch((err: unknown) => this.storeFailed('announce a cooldown', err));
    return result;
  }

  /** Loads the cooldowns running now and starts listening for new ones (subscribing first, so none is missed). */
  async start(): Promise<void> {
    this.unlisten = await this.store.listen((cooldown) => this.table.note(cooldown.deploymentId, cooldown.until));
    await this.resync();
    this.flushTimer = setInterval(() => void this.flushSuccesses(), this.options.successFlushMs ?? 1_000);
    this.flushTimer.unref();
    if (this.store.shared) {
      this.resyncTimer = setInterval(() => void this.resync(), this.options.resyncMs ?? 10_000);
      this.resyncTimer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.resyncTimer);
    this.flushTimer = this.resyncTimer = undefined;
    await this.flushSuccesses();
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    await unlisten?.().catch(() => undefined);
  }

  private async resync(): Promise<void> {
    try {
      for (const cooldown of await this.store.load(this.clock())) this.table.note(cooldown.deploymentId, cooldown.until);
    } catch (err) {
      this.storeFailed('read the running cooldowns', err);
    }
  }

  private async flushSuccesses(): Promise<void> {
    if (this.pendingSuccesses.size === 0) return;
    const batch = this.pendingSuccesses;
    this.pendingSuccesses = new Map();
    await this.store.addSuccesses(batch, this.clock()).catch((err: unknown) => this.storeFailed('count successes', err));
  }

  private storeFailed(what: string, err: unknown): void {
    const now = Date.now();
    if (now - this.lastOutageLog < OUTAGE_LOG_INTERVAL_MS) return;
    this.lastOutageLog = now;
    this.logger.warn(`could not ${what} in the shared store, using this replica's own view meanwhile: ${(err as Error)?.message ?? String(err)}`);
  }
}
