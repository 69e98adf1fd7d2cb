import type { Deployment } from '@tollgate/providers';
import type { FastifyReply } from 'fastify';

/** LiteLLM's response headers naming the deployment that answered (never its credentials). */
export function setDeploymentHeaders(reply: FastifyReply, deployment: Deployment): void {
  reply.header('x-litellm-model-id', deployment.id);
  reply.header('x-litellm-model-group', deployment.modelName);
  if (deployment.displayApiBase) reply.header('x-litellm-model-api-base', deployment.displayApiBase);
}

export function setDurationHeaders(reply: FastifyReply, overheadMs: number, totalMs: number): void {
  reply.header('x-litellm-overhead-duration-ms', overheadMs.toFixed(3));
  reply.header('x-litellm-response-duration-ms', totalMs.toFixed(3));
}
