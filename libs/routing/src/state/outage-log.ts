import { Logger } from '@nestjs/common';

/** The part of a logger an outage report needs; Nest's `Logger` fits. */
export interface WarningLogger {
  warn(message: string): void;
}

/**
 * Reports that the routing state store is unreachable at most once per `intervalMs`: state writes happen on
 * every request, and a Redis outage must not flood the log.
 */
export class OutageLog {
  private lastReportAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: WarningLogger = new Logger('RoutingState'),
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 60_000,
  ) {}

  report(error: unknown): void {
    const now = this.now();
    if (now - this.lastReportAt < this.intervalMs) return;
    this.lastReportAt = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`routing state store unreachable (${reason}); routing continues on this replica's own view`);
  }
}
