import type { GatewayEventMap } from '@tollgate/observability';
import type { Deployment } from '@tollgate/providers';
import type { Cooldown } from './cooldowns';

/** The `deployment_cooldown` event for a cooldown: what alerting needs to name the outage, no credentials. */
export function deploymentCooldownEvent(deployment: Deployment, cooldown: Cooldown, status?: number): GatewayEventMap['deployment_cooldown'] {
  return {
    deploymentId: deployment.id,
    modelGroup: deployment.modelName,
    provider: deployment.provider,
    ...(deployment.displayApiBase !== undefined ? { apiBase: deployment.displayApiBase } : {}),
    reason: cooldown.reason,
    until: cooldown.until,
    ...(status !== undefined ? { status } : {}),
  };
}
