import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { ReadinessCheck } from '../gateway-runtime';

const CHECK_TIMEOUT_MS = 2000;

/** Runs one readiness check with a time limit and reports it as a terminus indicator. */
@Injectable()
export class DependencyHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  async check(key: string, check: ReadinessCheck, detail: Record<string, string> = {}): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
        }),
      ]);
      return indicator.up(detail);
    } catch (err) {
      return indicator.down({ ...detail, message: (err as Error).message });
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
