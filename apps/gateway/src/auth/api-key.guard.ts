import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';
import type { FastifyRequest } from 'fastify';
import { GatewayRuntime } from '../gateway-runtime';

export type AuthenticatedRequest = FastifyRequest & { identity: CallerIdentity };

/** Admits callers presenting a valid key and records who they are on the request. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly runtime: GatewayRuntime) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.identity = this.runtime.authenticator.authenticate(request.headers);
    return true;
  }
}
