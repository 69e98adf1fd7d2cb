import { GatewayError, newCallId } from '@tollgate/common';
import {
  collectSecrets,
  filterParams,
  findProvider,
  redactSecrets,
  type ChatCompletionRequest,
  type Deployment,
  type ProviderAdapter,
} from '@tollgate/providers';

/** LiteLLM's health-check timeout (60 s): long enough for a cold model, short enough to report a hung one. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 60_000;
/** Longest error text kept per deployment: enough to diagnose, short enough for a listing of many. */
const MAX_ERROR_LENGTH = 1_000;

export type HealthCheckMode = 'chat' | 'embedding';
export type ProviderLookup = (name: string) => ProviderAdapter | undefined;

/** One deployment's check. `error` never holds a credential. */
export interface DeploymentHealthResult {
  deployment: Deployment;
  mode: HealthCheckMode;
  healthy: boolean;
  /** Why it is unhealthy, with the deployment's credentials removed. */
  error?: string;
  /** HTTP status of the failed call, when it had one. */
  status?: number;
  latencyMs: number;
  checkedAt: number;
}

export interface CheckOptions {
  /** Default `DEFAULT_HEALTH_CHECK_TIMEOUT_MS`; a deployment's `model_info.health_check_timeout` (seconds) wins. */
  timeoutMs?: number;
  /** Ends the check early (shutdown). */
  signal?: AbortSignal;
  providers?: ProviderLookup;
}

/**
 * How a deployment is checked, from `model_info.mode`: chat (the default) or embedding. Undefined for modes
 * Tollgate cannot call (image generation, audio, ...) and for wildcard deployments (`openai/*`) without a
 * `model_info.health_check_model`, which name no model that could be called.
 */
export function healthCheckModeOf(deployment: Deployment): HealthCheckMode | undefined {
  const mode = deployment.modelInfo?.mode;
  const kind = mode === undefined || mode === 'chat' ? 'chat' : mode === 'embedding' ? 'embedding' : undefined;
  if (kind === undefined) return undefined;
  if (deployment.upstreamModel.includes('*') && typeof deployment.modelInfo?.health_check_model !== 'string') return undefined;
  return kind;
}

/** The deployment as called for its check: `model_info.health_check_model` (`<provider>/<model>`) replaces its model. */
function checkTarget(deployment: Deployment): Deployment {
  const model = deployment.modelInfo?.health_check_model;
  if (typeof model !== 'string' || model === '') return deployment;
  const slash = model.indexOf('/');
  return slash === -1 ? { ...deployment, upstreamModel: model } : { ...deployment, provider: model.slice(0, slash), upstreamModel: model.slice(slash + 1) };
}

function timeoutOf(deployment: Deployment, fallbackMs: number): number {
  const own = deployment.modelInfo?.health_check_timeout;
  return typeof own === 'number' && own > 0 ? own * 1000 : fallbackMs;
}

/** The failure as a deployment-specific, credential-free sentence. */
function describeFailure(deployment: Deployment, err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const redacted = redactSecrets(raw, deployment.secrets ?? collectSecrets(deployment.params));
  return redacted.length > MAX_ERROR_LENGTH ? `${redacted.slice(0, MAX_ERROR_LENGTH)}...` : redacted;
}

/**
 * Checks one deployment with the smallest real call its mode allows: a one-token chat completion ("ping",
 * `max_tokens: 1`) or the embedding of "ping", through its provider exactly as a request would go.
 */
export async function checkDeploymentHealth(deployment: Deployment, mode: HealthCheckMode, options: CheckOptions = {}): Promise<DeploymentHealthResult> {
  const started = Date.now();
  const timeoutMs = timeoutOf(deployment, options.timeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const finish = (outcome: { healthy: boolean; error?: string; status?: number }): DeploymentHealthResult => ({
    deployment,
    mode,
    ...outcome,
    latencyMs: Date.now() - started,
    checkedAt: started,
  });
  try {
    const target = checkTarget(deployment);
    const provider = (options.providers ?? findProvider)(target.provider);
    if (!provider) throw new Error(`Unknown provider "${target.provider}".`);
    const context = { callId: newCallId(), signal: controller.signal };
    if (mode === 'embedding') {
      if (!provider.embeddings) throw new Error(`Provider ${provider.name} has no embeddings API in Tollgate.`);
      await provider.embeddings(target, { model: target.upstreamModel, input: 'ping' }, context);
    } else {
      const ping: ChatCompletionRequest = { model: target.upstreamModel, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 };
      const { request } = filterParams(ping, 'chat', provider.capabilities.chatParams, provider.name, true);
      await provider.chatCompletion(target, request, context);
    }
    return finish({ healthy: true });
  } catch (err) {
    if (timedOut) return finish({ healthy: false, error: `No answer within ${timeoutMs} ms (health check timeout).`, status: 408 });
    const status = err instanceof GatewayError ? err.status : undefined;
    return finish({ healthy: false, error: describeFailure(deployment, err), ...(status !== undefined ? { status } : {}) });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}

/** Runs `task` over `items` with at most `limit` at a time; results in the order of `items`. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
