/** What a cluster child runs, passed in its environment by the primary. */
export const ROLE_ENV = 'TOLLGATE_CLUSTER_ROLE';
export type ClusterRole = 'gateway' | 'queue-worker';

/** The primary's request to drain and exit, sent over the cluster IPC channel. */
export const SHUTDOWN_MESSAGE = { type: 'tollgate:shutdown' } as const;

export function isShutdownMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === SHUTDOWN_MESSAGE.type;
}

export function roleOf(env: NodeJS.ProcessEnv): ClusterRole {
  return env[ROLE_ENV] === 'queue-worker' ? 'queue-worker' : 'gateway';
}

/** The primary's "are you there?", answered by a child's event loop with HEARTBEAT_REPLY. */
export const HEARTBEAT_MESSAGE = { type: 'tollgate:heartbeat' } as const;
export const HEARTBEAT_REPLY = { type: 'tollgate:heartbeat-reply' } as const;

export function isHeartbeat(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === HEARTBEAT_MESSAGE.type;
}

export function isHeartbeatReply(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === HEARTBEAT_REPLY.type;
}
