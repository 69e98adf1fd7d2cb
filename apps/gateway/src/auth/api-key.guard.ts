import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';
import { GatewayError } from '@tollgate/common';
import type { FastifyRequest } from 'fastify';
import { GatewayRuntime } from '../gateway-runtime';

export type AuthenticatedRequest = FastifyRequest & { identity: CallerIdentity };

/** Admits callers presenting a valid key and records who they are on the request. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly runtime: GatewayRuntime) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const identity = this.runtime.authenticator.authenticate(request.headers);
    if (identity instanceof Promise) return identity.then((resolved) => admit(request, resolved));
    return admit(request, identity);
  }
}

/** Records the caller on the request, after checking the key's `allowed_routes` (wildcards allowed). */
function admit(request: AuthenticatedRequest, identity: CallerIdentity): boolean {
  const routes = identity.key?.allowedRoutes;
  if (routes && routes.length > 0) {
    const path = request.routeOptions.url ?? request.url.split('?')[0];
    const allowed = routes.some((route) => route === path || (route.endsWith('*') && path.startsWith(route.slice(0, -1))));
    if (!allowed) {
      throw new GatewayError(403, 'permission_error', `This key may only call: ${routes.join(', ')}. It cannot call ${path}.`, { code: 'route_not_allowed' });
    }
  }
  request.identity = identity;
  return true;
}
