import { GatewayError } from '@tollgate/common';
import type { CallContext, ChatCompletionRequest, Deployment, EmbeddingRequest, ProviderAdapter } from '@tollgate/providers';

/** How the scripted upstream answers a model. */
export type Script = 'ok' | 'hang' | { delayMs: number } | { status: number; message: string };

export interface ScriptedCall {
  kind: 'chat' | 'embedding';
  deployment: Deployment;
  body: ChatCompletionRequest | EmbeddingRequest;
  context: CallContext;
}

/** An in-process provider answering per upstream model as scripted, recording every call and the calls in flight. */
export function scriptedProvider(name: string, scripts: Record<string, Script>, options: { embeddings?: boolean; chatParams?: string[] } = {}) {
  const calls: ScriptedCall[] = [];
  const flight = { now: 0, peak: 0 };
  const answer = async (call: ScriptedCall) => {
    calls.push(call);
    flight.now++;
    flight.peak = Math.max(flight.peak, flight.now);
    try {
      const script = scripts[call.deployment.upstreamModel] ?? 'ok';
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (script === 'hang') {
        await new Promise<void>((resolve) => call.context.signal.addEventListener('abort', () => resolve(), { once: true }));
        throw new GatewayError(499, 'client_closed_request', 'The client closed the connection.');
      }
      if (script !== 'ok' && 'delayMs' in script) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
      else if (script !== 'ok') throw new GatewayError(script.status, 'api_error', script.message);
      return { body: Buffer.from('{}'), status: 200 };
    } finally {
      flight.now--;
    }
  };
  const provider: ProviderAdapter = {
    name,
    capabilities: {
      chatParams: new Set(options.chatParams ?? ['max_tokens']),
      ...(options.embeddings ? { embeddingParams: new Set<string>() } : {}),
      features: { systemPrompt: true, vision: false, tools: false, parallelToolCalls: false, jsonOutput: false, streaming: false, streamUsage: false },
      credentials: 'api_key',
      modelFormat: `${name}/<model>`,
    },
    validate: () => [],
    displayApiBase: (params) => params.api_base,
    chatCompletion: (deployment, body, context) => answer({ kind: 'chat', deployment, body, context }),
    chatCompletionStream: () => Promise.reject(new Error('not scripted')),
    ...(options.embeddings ? { embeddings: (deployment: Deployment, body: EmbeddingRequest, context: CallContext) => answer({ kind: 'embedding', deployment, body, context }) } : {}),
  };
  return { provider, calls, flight };
}

let ids = 0;

export function deploymentOf(model: string, overrides: Partial<Deployment> = {}): Deployment {
  const slash = model.indexOf('/');
  return {
    id: `d${++ids}`,
    modelName: 'group',
    provider: model.slice(0, slash),
    upstreamModel: model.slice(slash + 1),
    displayApiBase: 'https://upstream.example/v1',
    timeoutMs: 600_000,
    streamTimeoutMs: 600_000,
    params: { model, api_base: 'https://upstream.example/v1', api_key: 'sk-health-secret-0123456789' },
    secrets: ['sk-health-secret-0123456789'],
    ...overrides,
  };
}
