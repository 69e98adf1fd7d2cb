import { describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { refuseUnsupportedParams } from './vertex-model-params';

const deployment = (extra: Record<string, unknown> = {}): Deployment => ({
  id: 'd',
  modelName: 'claude',
  provider: 'vertex_ai',
  upstreamModel: 'claude-sonnet-4-5@20250929',
  timeoutMs: 1000,
  streamTimeoutMs: 1000,
  params: { model: 'vertex_ai/claude-sonnet-4-5@20250929', ...extra },
});

const CLAUDE = new Set(['temperature', 'max_tokens', 'tools']);

describe('refuseUnsupportedParams', () => {
  it('refuses an OpenAI parameter the model family lacks with a 400 naming it', () => {
    expect(() => refuseUnsupportedParams(deployment(), { model: 'm', messages: [], n: 2 }, CLAUDE, 'Claude models')).toThrow(/vertex_ai \(Claude models\) does not support parameter "n"/);
  });

  it('lets supported, provider-specific and unset parameters through', () => {
    expect(() => refuseUnsupportedParams(deployment(), { model: 'm', messages: [], temperature: 1, top_k: 5, seed: undefined }, CLAUDE, 'Claude models')).not.toThrow();
  });

  it('leaves dropping to the translators when the deployment sets drop_params', () => {
    expect(() => refuseUnsupportedParams(deployment({ drop_params: true }), { model: 'm', messages: [], n: 2 }, CLAUDE, 'Claude models')).not.toThrow();
  });
});
