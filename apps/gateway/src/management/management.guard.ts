import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { CallerIdentity } from '@tollgate/auth';
import { GatewayError } from '@tollgate/common';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { MANAGEMENT_ACCESS, canReadEverything, isProxyAdmin, type ManagementAccessLevel } from './management-access';

function permitted(level: ManagementAccessLevel, caller: CallerIdentity): boolean {
  if (level === 'proxy_admin') return isProxyAdmin(caller);
  if (level === 'admin_or_viewer') return canReadEverything(caller);
  return true;
}

/** Authenticates like the LLM routes, then applies the route's coarse access level (403 otherwise). */
@Injectable()
export class ManagementGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeyGuard,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.apiKeys.canActivate(context);
    const level = this.reflector.get<ManagementAccessLevel | undefined>(MANAGEMENT_ACCESS, context.getHandler()) ?? 'proxy_admin';
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!permitted(level, request.identity)) {
      throw new GatewayError(403, 'permission_error', `Your role (${request.identity.role}) may not call ${request.routeOptions.url ?? request.url}.`, {
        code: 'forbidden',
      });
    }
    return true;
  }
}
