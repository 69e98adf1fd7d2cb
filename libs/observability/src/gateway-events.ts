import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';

/**
 * Events the gateway raises for operators (budgets crossed, and later cooldowns and outages), consumed by
 * alerting. Payloads are plain data without credentials.
 */
export interface GatewayEventMap {
  budget_alert: {
    threshold: 'soft_budget' | 'max_budget';
    scope: string;
    subject: string;
    spend: number;
    budget: number;
    resetsAt?: number;
    model?: string;
  };
  /** A deployment was taken out of rotation (raised once per cooldown, by the replica that started it). */
  deployment_cooldown: {
    deploymentId: string;
    modelGroup: string;
    provider: string;
    /** The deployment's base URL in display form (no credentials, no query); absent for in-process providers. */
    apiBase?: string;
    reason: string;
    /** When it returns to rotation, ms since epoch. */
    until: number;
    /** HTTP status of the failure that caused it, when there was one. */
    status?: number;
  };
}

export type GatewayEventName = keyof GatewayEventMap;

/**
 * An in-process, typed event bus. A listener that throws is logged and does not disturb the emitter or the
 * other listeners: alerting must never fail a request.
 */
export class GatewayEvents {
  private readonly emitter = new EventEmitter();
  private readonly logger = new Logger('GatewayEvents');

  on<E extends GatewayEventName>(event: E, listener: (payload: GatewayEventMap[E]) => void): () => void {
    const safe = (payload: GatewayEventMap[E]) => {
      try {
        listener(payload);
      } catch (err) {
        this.logger.error(`a ${event} listener failed: ${(err as Error).message}`);
      }
    };
    this.emitter.on(event, safe);
    return () => this.emitter.off(event, safe);
  }

  emit<E extends GatewayEventName>(event: E, payload: GatewayEventMap[E]): void {
    this.emitter.emit(event, payload);
  }
}
