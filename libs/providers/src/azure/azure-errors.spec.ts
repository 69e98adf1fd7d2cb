import { describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { upstreamHttpError } from '../shared/upstream-errors';
import { readAzureError } from './azure-errors';

/** Azure OpenAI's reply when its content filter blocks a prompt (learn.microsoft.com, content filtering). */
const CONTENT_FILTER = JSON.stringify({
  error: {
    message:
      "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. " +
      'To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766',
    type: null,
    param: 'prompt',
    code: 'content_filter',
    status: 400,
    innererror: {
      code: 'ResponsibleAIPolicyViolation',
      content_filter_result: {
        hate: { filtered: false, severity: 'safe' },
        jailbreak: { filtered: true, detected: true },
        self_harm: { filtered: false, severity: 'safe' },
        sexual: { filtered: false, severity: 'safe' },
        violence: { filtered: true, severity: 'medium' },
      },
    },
  },
});

const deployment: Deployment = {
  id: 'az-1',
  modelName: 'gpt-4o',
  provider: 'azure',
  upstreamModel: 'gpt4o-prod',
  timeoutMs: 1000,
  streamTimeoutMs: 1000,
  params: { model: 'azure/gpt4o-prod', api_key: 'azure-secret-key' },
};

describe('readAzureError', () => {
  it('maps a content-filter block to content_policy_violation naming the categories that fired', () => {
    const detail = readAzureError(CONTENT_FILTER);
    expect(detail).toMatchObject({ type: 'invalid_request_error', code: 'content_policy_violation', param: 'prompt' });
    expect(detail?.message).toMatch(/^The response was filtered due to the prompt/);
    expect(detail?.message).toContain('(content filter categories: jailbreak, violence)');
    expect(detail?.message).not.toContain('severity');
  });

  it('gives an OpenAI 400 content_policy_violation through the shared error mapping', () => {
    const err = upstreamHttpError(deployment, 400, CONTENT_FILTER, undefined, readAzureError(CONTENT_FILTER));
    expect(err.status).toBe(400);
    expect(err.toBody().error).toMatchObject({ type: 'invalid_request_error', code: 'content_policy_violation', param: 'prompt' });
  });

  it('drops status-number codes of Azure gateway errors and keeps named ones', () => {
    const auth = readAzureError('{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}');
    expect(auth).toEqual({ message: 'Access denied due to invalid subscription key or wrong API endpoint.', type: undefined, code: null, param: null });
    const missing = readAzureError('{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}');
    expect(missing?.code).toBe('DeploymentNotFound');
  });

  it('leaves other bodies to the default reader', () => {
    expect(readAzureError('<html>Bad Gateway</html>')).toBeUndefined();
    expect(readAzureError('{"message":"x"}')).toBeUndefined();
  });
});
