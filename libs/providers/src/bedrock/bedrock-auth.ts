import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LitellmParams } from '@tollgate/config';
import { BoundedCache, GatewayError } from '@tollgate/common';
import type { Deployment } from '../provider.types';

/** How a call to Bedrock proves who it is: an AWS key pair (SigV4) or a Bedrock API key (Bearer). */
export type BedrockCredentials =
  | { kind: 'bearer'; token: string }
  | { kind: 'sigv4'; accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The deployment's credentials, read at call time so rotated environment values apply. Settings in
 * `litellm_params` win over the environment; within each, a Bedrock API key (bearer token) wins over a key
 * pair. A session token is only taken from the same place as the key pair it belongs to.
 */
export function bedrockCredentials(params: LitellmParams, env: NodeJS.ProcessEnv = process.env): BedrockCredentials | undefined {
  const bearer = text(params.aws_bearer_token);
  if (bearer) return { kind: 'bearer', token: bearer };
  const id = text(params.aws_access_key_id);
  const secret = text(params.aws_secret_access_key);
  if (id && secret) return { kind: 'sigv4', accessKeyId: id, secretAccessKey: secret, sessionToken: text(params.aws_session_token) };
  const envBearer = text(env.AWS_BEARER_TOKEN_BEDROCK);
  if (envBearer) return { kind: 'bearer', token: envBearer };
  const envId = text(env.AWS_ACCESS_KEY_ID);
  const envSecret = text(env.AWS_SECRET_ACCESS_KEY);
  if (envId && envSecret) return { kind: 'sigv4', accessKeyId: envId, secretAccessKey: envSecret, sessionToken: text(env.AWS_SESSION_TOKEN) };
  return undefined;
}

export function missingCredentials(deployment: Deployment): GatewayError {
  return new GatewayError(
    401,
    'authentication_error',
    `Deployment "${deployment.modelName}" (id ${deployment.id}, provider bedrock) has no AWS credentials: set aws_access_key_id and ` +
      'aws_secret_access_key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), or aws_bearer_token (or AWS_BEARER_TOKEN_BEDROCK).',
    { code: 'invalid_api_key' },
  );
}

/**
 * Signers by credentials and region: a signer caches its derived signing keys (one per day), so reusing it
 * saves four HMACs per request. Bounded, since credentials rotate.
 */
const signers = new BoundedCache<string, SignatureV4>(64);

function signerFor(credentials: Extract<BedrockCredentials, { kind: 'sigv4' }>, region: string): SignatureV4 {
  const key = [region, credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken ?? ''].join('\n');
  return signers.getOrSet(key, () => {
    const { accessKeyId, secretAccessKey, sessionToken } = credentials;
    return new SignatureV4({ service: 'bedrock', region, sha256: Sha256, credentials: { accessKeyId, secretAccessKey, sessionToken } });
  });
}

/**
 * The headers to send for a POST of `body` to `url`: `headers` plus authentication. With a key pair that is
 * a SigV4 signature over the method, path, query, the headers (host included) and the body hash, for service
 * `bedrock` in `region`; the returned headers must be sent exactly as they are.
 */
export async function authenticatedHeaders(
  url: string,
  body: string,
  headers: Record<string, string>,
  credentials: BedrockCredentials,
  region: string,
): Promise<Record<string, string>> {
  if (credentials.kind === 'bearer') return Object.assign({}, headers, { authorization: `Bearer ${credentials.token}` });
  const target = new URL(url);
  const signed = await signerFor(credentials, region).sign({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port ? Number(target.port) : undefined,
    path: target.pathname,
    // An api_base may carry query parameters (a proxy's token); the signature covers them as AWS requires.
    query: queryOf(target),
    // The body hash is computed natively here: the signer's JavaScript SHA-256 would block the event loop for
    // tens of milliseconds on a request carrying images. The signer signs this header and uses it as the hash.
    headers: Object.assign({}, headers, { host: target.host, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') }),
    body,
  });
  return signed.headers as Record<string, string>;
}

/** A URL's query parameters in the shape the signer takes: a repeated name becomes a list. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  return query;
}
