import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { GatewayRuntime } from '../gateway-runtime';
import { DependencyHealthIndicator } from './dependency-health.indicator';

/**
 * Liveness says the process answers; readiness says it can serve (database and Redis reachable). Both are
 * public, as Kubernetes probes carry no key.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependency: DependencyHealthIndicator,
    private readonly runtime: GatewayRuntime,
  ) {}

  @Get(['liveliness', 'liveness'])
  liveliness(): string {
    return "I'm alive!";
  }

  @Get('readiness')
  async readiness(@Res() reply: FastifyReply): Promise<void> {
    const { database, redis } = this.runtime.readiness;
    const mode = this.runtime.config.runtime;
    try {
      const result = await this.health.check([
        () => this.dependency.check('database', database, { mode: mode.databaseUrl ? 'postgresql' : 'embedded' }),
        () => (redis ? this.dependency.check('redis', redis, { mode: 'redis' }) : Promise.resolve({ redis: { status: 'up' as const, mode: 'memory' } })),
      ]);
      await reply.status(200).send(result);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const result = err.getResponse() as HealthCheckResult;
      const failing = Object.keys(result.error ?? {});
      await reply.status(503).send({ ...result, message: `Not ready: ${failing.join(', ')} unavailable.` });
    }
  }
}
