import { Controller, Get, Query, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { GatewayRuntime } from '../gateway-runtime';
import { ManagementAccess } from '../management/management-access';
import { ManagementGuard } from '../management/management.guard';
import { DependencyHealthIndicator } from './dependency-health.indicator';
import type { HealthReport } from '@tollgate/routing';

/**
 * Liveness says the process answers; readiness says it can serve (database and Redis reachable). Both are
 * public, as Kubernetes probes carry no key. `GET /health` is about the models behind the gateway: it calls
 * every deployment (or reports the last background run), so like LiteLLM only proxy admins may ask.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependency: DependencyHealthIndicator,
    private readonly runtime: GatewayRuntime,
  ) {}

  @Get()
  @UseGuards(ManagementGuard)
  @ManagementAccess('proxy_admin')
  async deployments(@Query('model') model?: string, @Query('model_id') modelId?: string): Promise<HealthReport> {
    return this.runtime.deploymentHealth.report({ model: model || undefined, modelId: modelId || undefined });
  }

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
