import { Logger } from '@nestjs/common';
import type { Deployment } from '@tollgate/providers';
import type { Cooldowns } from '../cooldowns/cooldowns';
import { checkDeploymentHealth, healthCheckModeOf, mapConcurrently, type DeploymentHealthResult, type ProviderLookup } from './deployment-health';
import { DEFAULT_HEALTH_CHECK_SETTINGS, type HealthCheckSettings } from './health-check-settings';
import { healthReport, type HealthReport } from './health-report';

export interface DeploymentHealthMonitorOptions {
  /** The deployments to check, read at every run (so a reloaded model list is picked up). */
  deployments: () => readonly Deployment[];
  settings?: Partial<HealthCheckSettings>;
  /** Background runs cool failing deployments down here until the next run. */
  cooldowns?: Pick<Cooldowns, 'coolDown'>;
  providers?: ProviderLookup;
}

/** Narrows `GET /health` to a model group (or `litellm_params.model`) or one deployment id. */
export interface HealthFilter {
  model?: string;
  modelId?: string;
}

/**
 * Health of every deployment, by real minimal calls. On demand, `report()` checks now; with background checks
 * on, a run starts at `start()` and then `intervalMs` after each run ends (one run at a time per replica;
 * replicas check independently), `report()` answers from the last run, and each failing deployment is cooled
 * down until the next run so no request is sent to it meanwhile.
 */
export class DeploymentHealthMonitor {
  private readonly logger = new Logger('HealthChecks');
  readonly settings: HealthCheckSettings;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<DeploymentHealthResult[]> | undefined;
  private last: DeploymentHealthResult[] | undefined;
  private readonly shutdown = new AbortController();
  private stopped = false;

  constructor(private readonly options: DeploymentHealthMonitorOptions) {
    this.settings = { ...DEFAULT_HEALTH_CHECK_SETTINGS, ...options.settings };
  }

  /** Starts background checks when they are enabled (the first run at once); otherwise does nothing. */
  start(): void {
    if (!this.settings.backgroundHealthChecks || this.stopped || this.running) return;
    void this.backgroundRun();
  }

  /** Stops the timer and cancels the checks in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.shutdown.abort();
    await this.running?.catch(() => undefined);
  }

  /**
   * LiteLLM's `GET /health`: with background checks, the last run's results (waiting for the first run if it
   * has not finished); otherwise, or when narrowed by `filter`, the deployments are checked now.
   */
  async report(filter: HealthFilter = {}): Promise<HealthReport> {
    if (filter.model !== undefined || filter.modelId !== undefined) return healthReport(await this.check(this.select(filter)));
    if (this.settings.backgroundHealthChecks && !this.stopped) return healthReport(this.last ?? (await (this.running ?? this.runAll())));
    return healthReport(await (this.running ?? this.runAll()));
  }

  /** The last completed run, when there was one. */
  lastResults(): readonly DeploymentHealthResult[] | undefined {
    return this.last;
  }

  private select(filter: HealthFilter): Deployment[] {
    return this.checkable().filter(
      (d) => (filter.modelId === undefined || d.id === filter.modelId) && (filter.model === undefined || d.modelName === filter.model || d.params.model === filter.model),
    );
  }

  /** Each deployment once (ids repeat when one entry is listed twice), in configuration order, if it can be checked. */
  private checkable(): Deployment[] {
    const seen = new Set<string>();
    return this.options.deployments().filter((d) => {
      if (seen.has(d.id) || healthCheckModeOf(d) === undefined) return false;
      seen.add(d.id);
      return true;
    });
  }

  private check(deployments: readonly Deployment[]): Promise<DeploymentHealthResult[]> {
    return mapConcurrently(deployments, this.settings.concurrency, (d) =>
      checkDeploymentHealth(d, healthCheckModeOf(d) ?? 'chat', { timeoutMs: this.settings.timeoutMs, signal: this.shutdown.signal, providers: this.options.providers }),
    );
  }

  /** A run of every deployment; concurrent callers share it. */
  private runAll(): Promise<DeploymentHealthResult[]> {
    const run = this.check(this.checkable()).then((results) => {
      this.last = results;
      return results;
    });
    this.running = run;
    const clear = () => {
      if (this.running === run) this.running = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  private async backgroundRun(): Promise<void> {
    try {
      const results = await this.runAll();
      if (!this.stopped) await this.coolDownFailing(results);
    } catch (err) {
      this.logger.error(`background health checks failed: ${(err as Error).message}`);
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.backgroundRun(), this.settings.intervalMs);
    this.timer.unref();
  }

  private async coolDownFailing(results: readonly DeploymentHealthResult[]): Promise<void> {
    for (const result of results) {
      if (result.healthy) continue;
      const { deployment } = result;
      this.logger.warn(
        `deployment ${deployment.id} of "${deployment.modelName}" (${deployment.provider}${deployment.displayApiBase ? `, ${deployment.displayApiBase}` : ''}) ` +
          `failed its health check: ${result.error}`,
      );
      await this.options.cooldowns
        ?.coolDown(deployment, this.settings.intervalMs, `health check failed: ${result.error}`, result.status)
        .catch((err: unknown) => this.logger.error(`could not cool down deployment ${deployment.id}: ${(err as Error).message}`));
    }
  }
}
