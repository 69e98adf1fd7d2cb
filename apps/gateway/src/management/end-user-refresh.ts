import type { GatewayRuntime } from '../gateway-runtime';

/**
 * Finishes a write that changes end users (customers, or budget rows they use) only once this replica's
 * end-user directory has reloaded, so the caller's next request here already sees the change. Other replicas
 * follow through the change message within a second.
 */
export async function reloadingEndUsers<T>(runtime: GatewayRuntime, write: Promise<T>): Promise<T> {
  const result = await write;
  await runtime.endUsers.refresh();
  return result;
}
