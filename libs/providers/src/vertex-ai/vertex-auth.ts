import { createHash } from 'node:crypto';
import { GoogleAuth, type AuthClient, type JWTInput } from 'google-auth-library';
import { BoundedCache, GatewayError, type CancelSignal } from '@tollgate/common';
import type { Deployment } from '../provider.types';
import type { Deadline } from '../shared/deadline';
import type { VertexCredentials } from './vertex-settings';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Where google-auth-library sends every OAuth token request (it ignores a credential's `token_uri`). */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/**
 * OAuth access tokens for Vertex AI through google-auth-library: a service-account key (JSON or file) is
 * exchanged for a token with a signed JWT assertion; without one, Application Default Credentials apply
 * (the metadata server on GCE/GKE/Cloud Run, or gcloud's user credentials). A client is kept per
 * credential, and the library caches its token until shortly before it expires, so calls do not each fetch
 * a token. A credentials file whose key was rotated replaces its client: the map holds one client per place
 * a key comes from, so it does not grow with rotations.
 */
/** Beyond 64 distinct credentials (config reloads bringing new inline keys), the least used client goes. */
const clients = new BoundedCache<string, { fingerprint: string; client: Promise<AuthClient> }>(64);
/** Hashing a key on every call would cost more than the call's own work: a parsed key object is hashed once. */
const fingerprints = new WeakMap<object, string>();

function fingerprint(json: Record<string, unknown> | undefined): string {
  if (!json) return 'adc';
  let known = fingerprints.get(json);
  if (!known) {
    known = `key:${createHash('sha256').update(JSON.stringify(json)).digest('hex')}`;
    fingerprints.set(json, known);
  }
  return known;
}

/** The client for `credentials`: the cached one while its key is unchanged, else a new one. */
function clientFor(credentials: VertexCredentials): Promise<AuthClient> {
  const print = fingerprint(credentials.json);
  const slot = credentials.source ?? print;
  const known = clients.get(slot);
  if (known && known.fingerprint === print) return known.client;
  const client = createClient(credentials);
  const entry = { fingerprint: print, client };
  clients.set(slot, entry);
  // A credential that cannot make a client (malformed key) is retried on the next call, not cached.
  client.catch(() => {
    if (clients.get(slot) === entry) clients.delete(slot);
  });
  return client;
}

function createClient(credentials: VertexCredentials): Promise<AuthClient> {
  const json = credentials.json;
  const auth = new GoogleAuth({ scopes: [SCOPE], ...(json ? { credentials: json as JWTInput } : {}) });
  return auth.getClient().then((client) => {
    const tokenUri = typeof json?.token_uri === 'string' ? json.token_uri : undefined;
    if (tokenUri && tokenUri !== GOOGLE_TOKEN_URL) redirectTokenRequests(client, tokenUri);
    return client as AuthClient;
  });
}

/**
 * Sends the client's token requests to the credential's own `token_uri` (a private or test token endpoint)
 * instead of the address google-auth-library has built in.
 */
function redirectTokenRequests(client: AuthClient, tokenUri: string): void {
  client.transporter.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUri);
      return config;
    },
  });
}

/** A Bearer token for `deployment`, waiting no longer than its deadline. */
export async function vertexAccessToken(deployment: Deployment, credentials: VertexCredentials, deadline: Deadline, what: { action: string; ms: number }): Promise<string> {
  const client = clientFor(credentials);
  try {
    const token = await untilAborted(
      client.then((c) => c.getAccessToken()),
      deadline.signal,
    );
    if (!token.token) throw new Error('the token endpoint returned no access token');
    return token.token;
  } catch (err) {
    if (deadline.signal.aborted) throw deadline.abortError(deployment, what.action, what.ms);
    throw tokenError(deployment, err);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: CancelSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * A failed token exchange: when the token service could not be reached (network error or 5xx) it is a 502;
 * otherwise the credentials were refused or unusable (invalid_grant, no default credentials), the
 * deployment's authentication failure (401). Only the library's message is kept: it names the OAuth
 * error, never the key.
 */
function tokenError(deployment: Deployment, err: unknown): GatewayError {
  const e = err as { message?: unknown; code?: unknown; response?: { status?: unknown } };
  const reason = typeof e?.message === 'string' ? e.message.slice(0, 300) : 'unknown error';
  const status = typeof e?.response?.status === 'number' ? e.response.status : undefined;
  const unreachable = (status !== undefined && status >= 500) || (status === undefined && typeof e?.code === 'string' && /^E[A-Z_]+$/.test(e.code));
  const refused = !unreachable;
  return new GatewayError(
    refused ? 401 : 502,
    refused ? 'authentication_error' : 'api_connection_error',
    `Deployment "${deployment.modelName}" (id ${deployment.id}) could not get a Google OAuth access token for Vertex AI: ${reason}`,
    { code: refused ? 'invalid_api_key' : 'upstream_unreachable' },
  );
}

/** Forgets every cached client (tests). */
export function resetVertexAuthCache(): void {
  clients.clear();
}

/** How many clients are cached (tests). */
export function cachedVertexAuthClients(): number {
  return clients.size;
}
