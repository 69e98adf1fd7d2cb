import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authenticatedHeaders, bedrockCredentials } from './bedrock-auth';

const KEY_ID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * SigV4 written out from AWS's specification (independently of the signer under test): canonical request,
 * string to sign, derived key, signature.
 */
function expectedSignature(opts: { canonicalUri: string; canonicalQuery?: string; headers: Record<string, string>; body: string; date: string; region: string }): string {
  const names = Object.keys(opts.headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${opts.headers[n].trim()}\n`).join('');
  const canonicalRequest = ['POST', opts.canonicalUri, opts.canonicalQuery ?? '', canonicalHeaders, names.join(';'), sha256(opts.body)].join('\n');
  const day = opts.date.slice(0, 8);
  const scope = `${day}/${opts.region}/bedrock/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', opts.date, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, day), opts.region), 'bedrock'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

afterEach(() => vi.useRealTimers());

describe('authenticatedHeaders (SigV4)', () => {
  it('signs host, content type, date, body hash and session token for service bedrock, double-encoding the model id', async () => {
    vi.useFakeTimers({ now: new Date('2025-03-04T05:06:07Z') });
    const body = '{"messages":[{"role":"user","content":[{"text":"hi"}]}]}';
    const url = 'https://bedrock-runtime.eu-west-1.amazonaws.com/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse';
    const headers = await authenticatedHeaders(url, body, { 'content-type': 'application/json', accept: 'application/json' }, { kind: 'sigv4', accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: 'session-token-value' }, 'eu-west-1');
    const signedPart = {
      accept: 'application/json',
      'content-type': 'application/json',
      host: 'bedrock-runtime.eu-west-1.amazonaws.com',
      'x-amz-content-sha256': sha256(body),
      'x-amz-date': '20250304T050607Z',
      'x-amz-security-token': 'session-token-value',
    };
    expect(headers).toMatchObject(signedPart);
    // The path is escaped once more for the canonical request (`%3A` -> `%253A`), as AWS computes it.
    const signature = expectedSignature({ canonicalUri: '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%253A0/converse', headers: signedPart, body, date: '20250304T050607Z', region: 'eu-west-1' });
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=${KEY_ID}/20250304/eu-west-1/bedrock/aws4_request, ` +
        `SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=${signature}`,
    );
  });

  it('signs the query parameters of the URL, sorted and encoded as AWS requires', async () => {
    vi.useFakeTimers({ now: new Date('2025-03-04T05:06:07Z') });
    const url = 'https://proxy.example/bedrock/model/m/converse?tenant=a%20b&b=2';
    const headers = await authenticatedHeaders(url, '{}', {}, { kind: 'sigv4', accessKeyId: KEY_ID, secretAccessKey: SECRET }, 'us-east-1');
    const signedPart = { host: 'proxy.example', 'x-amz-content-sha256': sha256('{}'), 'x-amz-date': '20250304T050607Z' };
    const signature = expectedSignature({ canonicalUri: '/bedrock/model/m/converse', canonicalQuery: 'b=2&tenant=a%20b', headers: signedPart, body: '{}', date: '20250304T050607Z', region: 'us-east-1' });
    expect(headers.authorization).toContain(`Signature=${signature}`);
  });

  it('includes a non-default port in the signed host', async () => {
    const headers = await authenticatedHeaders('http://127.0.0.1:8123/model/m/invoke', '{}', {}, { kind: 'sigv4', accessKeyId: KEY_ID, secretAccessKey: SECRET }, 'us-east-1');
    expect(headers.host).toBe('127.0.0.1:8123');
    expect(headers['x-amz-security-token']).toBeUndefined();
  });

  it('sends a Bedrock API key as a bearer token without signing', async () => {
    const headers = await authenticatedHeaders('https://x/model/m/converse', '{}', { 'content-type': 'application/json' }, { kind: 'bearer', token: 'bedrock-api-key-abc' }, 'us-east-1');
    expect(headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer bedrock-api-key-abc' });
  });
});

describe('bedrockCredentials', () => {
  const env = { AWS_ACCESS_KEY_ID: 'ENVID', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_SESSION_TOKEN: 'envtoken', AWS_BEARER_TOKEN_BEDROCK: 'envbearer' };

  it('prefers litellm_params over the environment, and a bearer token over a key pair', () => {
    expect(bedrockCredentials({ model: 'm', aws_bearer_token: 'b', aws_access_key_id: 'i', aws_secret_access_key: 's' }, env)).toEqual({ kind: 'bearer', token: 'b' });
    expect(bedrockCredentials({ model: 'm', aws_access_key_id: 'i', aws_secret_access_key: 's' }, env)).toEqual({ kind: 'sigv4', accessKeyId: 'i', secretAccessKey: 's', sessionToken: undefined });
    expect(bedrockCredentials({ model: 'm' }, env)).toEqual({ kind: 'bearer', token: 'envbearer' });
    expect(bedrockCredentials({ model: 'm' }, { ...env, AWS_BEARER_TOKEN_BEDROCK: '' })).toEqual({ kind: 'sigv4', accessKeyId: 'ENVID', secretAccessKey: 'envsecret', sessionToken: 'envtoken' });
  });

  it('finds nothing without a complete key pair or a token', () => {
    expect(bedrockCredentials({ model: 'm', aws_access_key_id: 'i' }, {})).toBeUndefined();
    expect(bedrockCredentials({ model: 'm' }, { AWS_ACCESS_KEY_ID: 'x' })).toBeUndefined();
  });
});
