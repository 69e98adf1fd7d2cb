import { describe, expect, it } from 'vitest';
import { checkDeploymentHealth, healthCheckModeOf, mapConcurrently } from './deployment-health';
import { deploymentOf, scriptedProvider } from './scripted-provider.testing';

describe('checkDeploymentHealth', () => {
  it('sends a one-token chat completion of "ping" to the deployment\'s model', async () => {
    const { provider, calls } = scriptedProvider('up', {});
    const d = deploymentOf('up/chat-model');
    const result = await checkDeploymentHealth(d, 'chat', { providers: () => provider });
    expect(result).toMatchObject({ healthy: true, mode: 'chat', deployment: d });
    expect(result.error).toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(calls[0].kind).toBe('chat');
    expect(calls[0].body).toEqual({ model: 'chat-model', messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 });
    expect(calls[0].deployment).toBe(d);
    expect(calls[0].context.callId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('leaves max_tokens out for a provider that does not take it', async () => {
    const { provider, calls } = scriptedProvider('up', {}, { chatParams: [] });
    await checkDeploymentHealth(deploymentOf('up/m'), 'chat', { providers: () => provider });
    expect(calls[0].body).toEqual({ model: 'm', messages: [{ role: 'user', content: 'ping' }] });
  });

  it('embeds "ping" for an embedding deployment', async () => {
    const { provider, calls } = scriptedProvider('up', {}, { embeddings: true });
    const result = await checkDeploymentHealth(deploymentOf('up/embedder'), 'embedding', { providers: () => provider });
    expect(result.healthy).toBe(true);
    expect(calls.map((c) => [c.kind, c.body])).toEqual([['embedding', { model: 'embedder', input: 'ping' }]]);
  });

  it('is unhealthy when an embedding deployment\'s provider has no embeddings API', async () => {
    const { provider } = scriptedProvider('up', {});
    const result = await checkDeploymentHealth(deploymentOf('up/embedder'), 'embedding', { providers: () => provider });
    expect(result).toMatchObject({ healthy: false, error: 'Provider up has no embeddings API in Tollgate.' });
  });

  it('calls model_info.health_check_model instead of the deployment\'s model', async () => {
    const { provider, calls } = scriptedProvider('other', {});
    const d = deploymentOf('up/*', { modelInfo: { health_check_model: 'other/small-model' } });
    const seen: string[] = [];
    await checkDeploymentHealth(d, 'chat', { providers: (name) => (seen.push(name), provider) });
    expect(seen).toEqual(['other']);
    expect(calls[0].deployment).toMatchObject({ provider: 'other', upstreamModel: 'small-model', id: d.id });
  });

  it('reports the failure with its status and without the deployment\'s credentials', async () => {
    const { provider } = scriptedProvider('up', { broken: { status: 401, message: 'Incorrect API key provided: sk-health-secret-0123456789.' } });
    const result = await checkDeploymentHealth(deploymentOf('up/broken'), 'chat', { providers: () => provider });
    expect(result).toMatchObject({ healthy: false, status: 401, error: 'Incorrect API key provided: [redacted].' });
  });

  it('gives up after the timeout, and model_info.health_check_timeout (seconds) overrides it', async () => {
    const { provider } = scriptedProvider('up', { slow: 'hang' });
    const started = Date.now();
    const result = await checkDeploymentHealth(deploymentOf('up/slow'), 'chat', { timeoutMs: 100, providers: () => provider });
    expect(result).toMatchObject({ healthy: false, status: 408, error: 'No answer within 100 ms (health check timeout).' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(1_000);
    const own = await checkDeploymentHealth(deploymentOf('up/slow', { modelInfo: { health_check_timeout: 0.05 } }), 'chat', { timeoutMs: 10_000, providers: () => provider });
    expect(own.error).toBe('No answer within 50 ms (health check timeout).');
  });

  it('is unhealthy for an unknown provider', async () => {
    const result = await checkDeploymentHealth(deploymentOf('nowhere/m'), 'chat', { providers: () => undefined });
    expect(result).toMatchObject({ healthy: false, error: 'Unknown provider "nowhere".' });
  });
});

describe('healthCheckModeOf', () => {
  it('checks chat by default and embedding when model_info.mode says so; skips what cannot be called', () => {
    expect(healthCheckModeOf(deploymentOf('up/m'))).toBe('chat');
    expect(healthCheckModeOf(deploymentOf('up/m', { modelInfo: { mode: 'chat' } }))).toBe('chat');
    expect(healthCheckModeOf(deploymentOf('up/m', { modelInfo: { mode: 'embedding' } }))).toBe('embedding');
    expect(healthCheckModeOf(deploymentOf('up/m', { modelInfo: { mode: 'image_generation' } }))).toBeUndefined();
    expect(healthCheckModeOf(deploymentOf('up/*'))).toBeUndefined();
    expect(healthCheckModeOf(deploymentOf('up/*', { modelInfo: { health_check_model: 'up/m' } }))).toBe('chat');
  });
});

describe('mapConcurrently', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let now = 0;
    let peak = 0;
    const results = await mapConcurrently([5, 1, 4, 2, 3, 6, 1], 3, async (ms) => {
      now++;
      peak = Math.max(peak, now);
      await new Promise((resolve) => setTimeout(resolve, ms * 5));
      now--;
      return ms * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 60, 10]);
    expect(peak).toBe(3);
    expect(await mapConcurrently([], 3, async () => 1)).toEqual([]);
  });
});
