import { generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, type FakeRequest } from '../fake-http';
import { googleError } from './gemini-wire';

/**
 * Google's OAuth 2.0 token endpoint for service accounts (developers.google.com/identity/protocols/oauth2/
 * service-account#httprest): `POST token_uri` with form fields `grant_type=urn:ietf:params:oauth:grant-type:
 * jwt-bearer` and `assertion=<RS256 JWT>` whose claims are iss (the client email), scope, aud (Google's
 * token URL), iat and exp; answers `{access_token, expires_in, token_type}` or
 * `{error: "invalid_grant", error_description}`. The key pair is made at test time; the endpoint verifies
 * the assertion's signature with the public key. It also insists that tokens are cached: a second token
 * request while an issued token is still valid is refused, which fails the calls that needed it.
 */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const LIFETIME_SECONDS = 3599;

export class FakeGoogleOAuth {
  readonly email: string;
  private readonly privateKeyPem: string;
  private readonly publicKey: KeyObject;
  private readonly issued = new Map<string, number>();

  constructor(readonly project: string) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.publicKey = publicKey;
    this.email = `conformance@${project}.iam.gserviceaccount.com`;
  }

  /** A service-account key file's JSON, as downloaded from the Cloud console, with `token_uri` pointing here. */
  serviceAccount(tokenUri: string): Record<string, string> {
    return {
      type: 'service_account',
      project_id: this.project,
      private_key_id: 'conf0123456789',
      private_key: this.privateKeyPem,
      client_email: this.email,
      client_id: '100000000000000000001',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: tokenUri,
      universe_domain: 'googleapis.com',
    };
  }

  /** Serves the token endpoint. */
  token(req: FakeRequest, res: ServerResponse): void {
    const form = new URLSearchParams(req.raw.toString('utf8'));
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type.' });
    const problem = this.assertionProblem(form.get('assertion') ?? '');
    if (problem) return sendJson(res, 400, { error: 'invalid_grant', error_description: problem });
    const now = Date.now();
    for (const [token, expires] of this.issued) {
      if (expires > now) return sendJson(res, 400, { error: 'invalid_request', error_description: `conformance fake: a token was requested again while ${token.slice(0, 12)}... is still valid (tokens must be cached)` });
    }
    const token = `ya29.conf-${randomBytes(16).toString('hex')}`;
    this.issued.set(token, now + LIFETIME_SECONDS * 1000);
    sendJson(res, 200, { access_token: token, expires_in: LIFETIME_SECONDS, token_type: 'Bearer' });
  }

  /** True when the request carries a Bearer token this endpoint issued and that has not expired. */
  authorized(req: FakeRequest): boolean {
    const match = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const expires = match ? this.issued.get(match[1]) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  /** Vertex AI's answer to a missing or wrong access token. */
  unauthenticated(res: ServerResponse): void {
    googleError(
      res,
      401,
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED', metadata: { service: 'aiplatform.googleapis.com' } }],
    );
  }

  private assertionProblem(assertion: string): string | undefined {
    const [header, payload, signature] = assertion.split('.');
    if (!header || !payload || !signature) return 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.';
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
    if (head.alg !== 'RS256') return 'Invalid JWT: alg must be RS256.';
    if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), this.publicKey, Buffer.from(signature, 'base64url'))) return 'Invalid JWT Signature.';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== this.email) return 'Invalid JWT: iss is not the service account.';
    if (claims.aud !== GOOGLE_TOKEN_URL) return `Invalid JWT: aud must be ${GOOGLE_TOKEN_URL}.`;
    if (!String(claims.scope ?? '').split(' ').includes(SCOPE)) return `conformance fake: scope ${SCOPE} missing`;
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number' || claims.exp <= now || claims.iat > now + 60 || claims.exp - claims.iat > 3600) {
      return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
    }
    return undefined;
  }
}
