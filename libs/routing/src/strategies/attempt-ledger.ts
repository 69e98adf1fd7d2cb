import type { RouteRequest } from './routing-strategy';

/**
 * What a strategy remembers about an attempt between `pick`/`onStart` and `onEnd` (a usage reservation, an
 * in-flight ticket), keyed by the request object and the deployment. The router passes the same
 * `RouteRequest` object to every call of one attempt; entries go away with the request.
 */
export class AttemptLedger<T> {
  private readonly byRequest = new WeakMap<RouteRequest, Map<string, T[]>>();

  add(request: RouteRequest, deploymentId: string, entry: T): void {
    let byDeployment = this.byRequest.get(request);
    if (!byDeployment) this.byRequest.set(request, (byDeployment = new Map()));
    const entries = byDeployment.get(deploymentId);
    if (entries) entries.push(entry);
    else byDeployment.set(deploymentId, [entry]);
  }

  /** The oldest entry not yet taken for this request and deployment (a retry on the same deployment adds another). */
  take(request: RouteRequest, deploymentId: string): T | undefined {
    const byDeployment = this.byRequest.get(request);
    const entries = byDeployment?.get(deploymentId);
    const entry = entries?.shift();
    if (entries?.length === 0) byDeployment?.delete(deploymentId);
    return entry;
  }
}
