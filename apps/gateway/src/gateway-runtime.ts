import type { Authenticator } from '@tollgate/auth';
import type { TollgateConfig } from '@tollgate/config';
import type { PrismaClient } from '@tollgate/database';
import type { CallLimits } from '@tollgate/limits';
import type { GatewayEvents } from '@tollgate/observability';
import type { PricingCatalog } from '@tollgate/spend';
import type { RequestLogSink } from '@tollgate/request-log';
import type { Cooldowns, DeploymentHealthMonitor, ModelGroups, Router } from '@tollgate/routing';
import type { EndUserDirectory, IdentityCache } from '@tollgate/tenancy';

/** A check that resolves when a dependency is usable and rejects with the reason when it is not. */
export type ReadinessCheck = () => Promise<void>;

/**
 * Everything the HTTP layer needs, built once at startup by `startGateway` and handed to Nest as values,
 * so the request path reads only in-memory state.
 */
export class GatewayRuntime {
  constructor(
    readonly config: TollgateConfig,
    /** Model groups (aliases, wildcards, tags): which deployments may serve a model name. */
    readonly groups: ModelGroups,
    readonly authenticator: Authenticator,
    readonly requestLog: RequestLogSink,
    readonly readiness: { database: ReadinessCheck; redis?: ReadinessCheck },
    /** For the management API only; the request path never touches it. */
    readonly db: PrismaClient,
    readonly identities: IdentityCache,
    /** Model access groups from `model_info.access_groups`: group name -> model names. */
    readonly accessGroups: ReadonlyMap<string, readonly string[]>,
    /** Customers (the request's `user`) currently blocked, kept in memory and refreshed on changes. */
    readonly endUsers: EndUserDirectory,
    /** Rate limits, budgets and how their end-of-request charges are written. */
    readonly limits: CallLimits,
    readonly pricing: PricingCatalog,
    readonly events: GatewayEvents,
    /** Picks deployments, retries, cools down and falls back (LiteLLM's router). */
    readonly router: Router,
    readonly cooldowns: Cooldowns,
    readonly deploymentHealth: DeploymentHealthMonitor,
  ) {}
}
