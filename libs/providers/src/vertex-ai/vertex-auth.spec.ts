import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '@tollgate/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { Deadline } from '../shared/deadline';
import { cachedVertexAuthClients, resetVertexAuthCache, vertexAccessToken } from './vertex-auth';
import type { VertexCredentials } from './vertex-settings';

/**
 * A local stand-in for Google's OAuth token endpoint: it verifies the RS256 JWT assertion with the service
 * account's public key (generated here) and counts the tokens it hands out.
 */
const trusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

let server: Server;
let tokenUri: string;
let requests: Array<{ claims: Record<string, unknown>; valid: boolean }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(raw);
      const [header, payload, signature] = (form.get('assertion') ?? '..').split('.');
      const valid = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), trusted.publicKey, Buffer.from(signature, 'base64url'));
      requests.push({ claims: JSON.parse(Buffer.from(payload, 'base64url').toString()), valid });
      res.writeHead(valid ? 200 : 400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(valid ? { access_token: `ya29.token-${requests.length}`, expires_in: 3599, token_type: 'Bearer' } : { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tokenUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  requests = [];
  resetVertexAuthCache();
});

const deployment: Deployment = {
  id: 'v1',
  modelName: 'vertex-gemini',
  provider: 'vertex_ai',
  upstreamModel: 'gemini-2.5-pro',
  timeoutMs: 10_000,
  streamTimeoutMs: 10_000,
  params: { model: 'vertex_ai/gemini-2.5-pro' },
};

function serviceAccount(privateKey: KeyObject): Record<string, unknown> {
  return { type: 'service_account', project_id: 'p1', private_key_id: 'k1', private_key: pem(privateKey), client_email: 'sa@p1.iam.gserviceaccount.com', token_uri: tokenUri };
}

async function token(json: Record<string, unknown>, source?: string): Promise<string> {
  const deadline = new Deadline(new AbortController().signal);
  deadline.arm(10_000);
  const credentials: VertexCredentials = source ? { json, source } : { json };
  try {
    return await vertexAccessToken(deployment, credentials, deadline, { action: 'authenticate', ms: 10_000 });
  } finally {
    deadline.dispose();
  }
}

describe('vertexAccessToken', () => {
  it("exchanges a signed JWT at the key's token_uri and reuses the token until it expires", async () => {
    const json = serviceAccount(trusted.privateKey);
    expect(await token(json)).toBe('ya29.token-1');
    expect(await Promise.all([token(json), token(json)])).toEqual(['ya29.token-1', 'ya29.token-1']);
    expect(requests).toHaveLength(1);
    expect(requests[0].valid).toBe(true);
    expect(requests[0].claims).toMatchObject({ iss: 'sa@p1.iam.gserviceaccount.com', scope: 'https://www.googleapis.com/auth/cloud-platform', aud: 'https://oauth2.googleapis.com/token' });
  });

  it('reports refused credentials as a 401 without revealing the key', async () => {
    const json = serviceAccount(stranger.privateKey);
    const err = (await token(json).then(
      () => undefined,
      (e: unknown) => e,
    )) as GatewayError;
    expect(err).toBeInstanceOf(GatewayError);
    expect([err.status, err.type]).toEqual([401, 'authentication_error']);
    expect(err.message).toContain('invalid_grant');
    expect(err.message).not.toContain('PRIVATE KEY');
  });

  it('reports an unreachable token endpoint as a 502', async () => {
    const json = { ...serviceAccount(trusted.privateKey), token_uri: 'http://127.0.0.1:1/token' };
    const err = (await token(json).then(
      () => undefined,
      (e: unknown) => e,
    )) as GatewayError;
    expect(err.status).toBe(502);
  });

  it("a rotated key in a credentials file replaces that file's client: new tokens come from the new key, and the cache does not grow", async () => {
    const source = 'file:/var/run/secrets/vertex/key.json';
    const before = serviceAccount(trusted.privateKey);
    // Same signing key (the stand-in trusts only one), another identity: what a rotation changes.
    const after = { ...before, private_key_id: 'k2', client_email: 'rotated@p1.iam.gserviceaccount.com' };
    expect(await token(before, source)).toBe('ya29.token-1');
    expect(await token({ ...before }, source)).toBe('ya29.token-1'); // same key, another object: same client
    expect(await token(after, source)).toBe('ya29.token-2');
    expect(await token(after, source)).toBe('ya29.token-2');
    expect(requests.map((r) => r.claims.iss)).toEqual(['sa@p1.iam.gserviceaccount.com', 'rotated@p1.iam.gserviceaccount.com']);
    expect(cachedVertexAuthClients()).toBe(1);
  });

  it('keeps one client per distinct inline key, the same key given twice sharing one', async () => {
    const one = serviceAccount(trusted.privateKey);
    const two = { ...one, client_email: 'other@p1.iam.gserviceaccount.com' };
    await token(one);
    await token({ ...one });
    await token(two);
    expect(cachedVertexAuthClients()).toBe(2);
    expect(requests).toHaveLength(2);
  });
});
