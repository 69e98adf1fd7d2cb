import { afterEach, describe, expect, it } from 'vitest';
import { providerDefaults } from '../shared/deployment-params';
import { azureAuthHeaders, azureCredentialProblems, hideCredentialParams } from './azure-auth';

const ENV = ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY', 'AZURE_AD_TOKEN'];

describe('azure credentials', () => {
  afterEach(() => {
    for (const name of ENV) delete process.env[name];
  });

  it('sends a key as api-key and an Entra ID token as a bearer token', () => {
    expect(azureAuthHeaders({ model: 'azure/x', api_key: 'k1' })).toEqual({ 'api-key': 'k1' });
    expect(azureAuthHeaders({ model: 'azure/x', azure_ad_token: 'tok' })).toEqual({ authorization: 'Bearer tok' });
  });

  it('prefers deployment settings over the environment, and a key over a token at the same level', () => {
    process.env.AZURE_API_KEY = 'env-key';
    process.env.AZURE_AD_TOKEN = 'env-token';
    expect(azureAuthHeaders({ model: 'azure/x', azure_ad_token: 'tok' })).toEqual({ authorization: 'Bearer tok' });
    expect(azureAuthHeaders({ model: 'azure/x', api_key: 'k1', azure_ad_token: 'tok' })).toEqual({ 'api-key': 'k1' });
    expect(azureAuthHeaders({ model: 'azure/x' })).toEqual({ 'api-key': 'env-key' });
    delete process.env.AZURE_API_KEY;
    expect(azureAuthHeaders({ model: 'azure/x' })).toEqual({ authorization: 'Bearer env-token' });
    delete process.env.AZURE_AD_TOKEN;
    expect(azureAuthHeaders({ model: 'azure/x' })).toEqual({});
  });

  it('refuses oidc/ token references and Entra ID sign-in settings', () => {
    expect(azureCredentialProblems({ model: 'azure/x', azure_ad_token: 'oidc/github/aud' }).map((p) => p.path)).toEqual(['azure_ad_token']);
    expect(azureCredentialProblems({ model: 'azure/x', tenant_id: 't', client_id: 'c', client_secret: 's' }).map((p) => p.path)).toEqual(['client_secret']);
    expect(azureCredentialProblems({ model: 'azure/x', azure_ad_token: 'eyJ0' })).toEqual([]);
  });

  it('keeps credential settings out of the provider parameters sent upstream', () => {
    const params = { model: 'azure/x', azure_ad_token: 'tok', client_id: 'c', temperature: 0.2 };
    const hidden = hideCredentialParams(params);
    expect(providerDefaults(hidden)).toEqual({ temperature: 0.2 });
    expect(hidden.azure_ad_token).toBe('tok');
    expect(azureAuthHeaders(hidden)).toEqual({ authorization: 'Bearer tok' });
    expect(params.azure_ad_token).toBe('tok');
    const plain = { model: 'azure/x', temperature: 1 };
    expect(hideCredentialParams(plain)).toBe(plain);
  });
});
