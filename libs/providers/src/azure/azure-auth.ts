import type { LitellmParams } from '@tollgate/config';
import { setting } from '../shared/credentials';

export const AZURE_KEY_ENV = ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY'] as const;
export const AZURE_AD_TOKEN_ENV = ['AZURE_AD_TOKEN'] as const;

/**
 * `litellm_params` keys that are Azure credentials, not request parameters. Every other unknown key is sent
 * upstream with each request (see providerDefaults), so these must be kept out of the body.
 */
export const AZURE_CREDENTIAL_PARAMS = [
  'azure_ad_token',
  'azure_ad_token_provider',
  'tenant_id',
  'client_id',
  'client_secret',
  'azure_username',
  'azure_password',
  'azure_scope',
] as const;

/** Entra ID sign-in flows LiteLLM can run that Tollgate does not: they need a token exchange with Entra ID. */
const UNSUPPORTED_SIGN_IN = ['client_secret', 'azure_password', 'azure_ad_token_provider'] as const;

/**
 * The request headers carrying an Azure credential: `api-key: <key>` for a resource key, or
 * `Authorization: Bearer <token>` for a Microsoft Entra ID (Azure AD) access token. Settings in the deployment
 * win over the environment, and a key wins over a token at the same level (as LiteLLM does).
 */
export function azureAuthHeaders(params: LitellmParams): Record<string, string> {
  const key = setting(params, 'api_key');
  if (key) return { 'api-key': key };
  const token = setting(params, 'azure_ad_token');
  if (token) return { authorization: `Bearer ${token}` };
  const envKey = setting({ model: '' }, 'api_key', AZURE_KEY_ENV);
  if (envKey) return { 'api-key': envKey };
  const envToken = setting({ model: '' }, 'azure_ad_token', AZURE_AD_TOKEN_ENV);
  return envToken ? { authorization: `Bearer ${envToken}` } : {};
}

/** Credential settings Tollgate cannot use, as config problems. */
export function azureCredentialProblems(params: LitellmParams): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const token = setting(params, 'azure_ad_token', AZURE_AD_TOKEN_ENV);
  if (token?.startsWith('oidc/')) {
    problems.push({
      path: 'azure_ad_token',
      message: '"oidc/..." token references are not supported; give the Entra ID access token itself (or use api_key)',
    });
  }
  for (const key of UNSUPPORTED_SIGN_IN) {
    if (params[key] !== undefined) {
      problems.push({ path: key, message: 'Entra ID sign-in by Tollgate is not supported; set api_key, or azure_ad_token with an access token' });
    }
  }
  return problems;
}

/**
 * The deployment's params with the Azure credential keys made non-enumerable: still readable for the headers,
 * but skipped by providerDefaults, so no credential is ever sent in a request body.
 */
export function hideCredentialParams(params: LitellmParams): LitellmParams {
  if (!AZURE_CREDENTIAL_PARAMS.some((key) => key in params)) return params;
  const copy: LitellmParams = { ...params };
  for (const key of AZURE_CREDENTIAL_PARAMS) {
    if (key in copy) Object.defineProperty(copy, key, { value: copy[key], enumerable: false });
  }
  return copy;
}
