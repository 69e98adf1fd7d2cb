import type { ServerResponse } from 'node:http';
import { EMBEDDINGS, type ConformanceFake } from '../conformance-contract';
import { sendJson, startFakeServer, type FakeRequest } from '../fake-http';
import { googleError, serveGenerateContent } from './gemini-wire';
import { FakeGoogleOAuth } from './google-oauth';

/**
 * Gemini on Vertex AI (cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference and
 * .../text-embeddings-api): `POST /v1/projects/{project}/locations/{location}/publishers/google/models/
 * {model}:generateContent`, `:streamGenerateContent?alt=sse` and `:predict` (text embeddings), authorised by
 * a Bearer access token from the service account's OAuth token endpoint (served here too, at /token).
 */
const PROJECT = 'tollgate-conf';
const LOCATION = 'us-central1';
const MODEL = 'gemini-conf';
const EMBED_MODEL = 'text-embedding-conf';
const MODELS = `/v1/projects/${PROJECT}/locations/${LOCATION}/publishers/google/models`;

function servePredict(res: ServerResponse, body: Record<string, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const instances: Array<Record<string, unknown>> = body?.instances ?? [];
  if (JSON.stringify(instances.map((i) => i.content)) !== '["alpha","beta"]') return googleError(res, 400, 'INVALID_ARGUMENT', 'conformance fake: expected instances with content "alpha" and "beta"');
  sendJson(res, 200, {
    predictions: EMBEDDINGS.map((values) => ({ embeddings: { values, statistics: { token_count: 2, truncated: false } } })),
    metadata: { billableCharacterCount: 9 },
  });
}

export async function startFake(): Promise<ConformanceFake> {
  const oauth = new FakeGoogleOAuth(PROJECT);
  const handle = (req: FakeRequest, res: ServerResponse): void => {
    if (req.method === 'POST' && req.path === '/token') return oauth.token(req, res);
    if (!oauth.authorized(req)) return oauth.unauthenticated(res);
    if (req.headers['content-type'] !== 'application/json') return googleError(res, 400, 'INVALID_ARGUMENT', 'conformance fake: content-type must be application/json');
    switch (req.path) {
      case `${MODELS}/${MODEL}:generateContent`:
        return serveGenerateContent(res, req.json, false, MODEL, (r) => oauth.unauthenticated(r));
      case `${MODELS}/${MODEL}:streamGenerateContent`:
        if (req.query.get('alt') !== 'sse') return googleError(res, 400, 'INVALID_ARGUMENT', 'conformance fake: streaming needs alt=sse');
        return serveGenerateContent(res, req.json, true, MODEL, (r) => oauth.unauthenticated(r));
      case `${MODELS}/${EMBED_MODEL}:predict`:
        return servePredict(res, req.json);
      default:
        return googleError(res, 404, 'NOT_FOUND', `Publisher Model \`${req.path}\` was not found or your project does not have access to it.`);
    }
  };
  const server = await startFakeServer(handle);
  const credentials = JSON.stringify(oauth.serviceAccount(`${server.url}/token`));
  // Project named in the deployment; the location is left to its default (us-central1).
  const params = { api_base: server.url, vertex_project: PROJECT, vertex_credentials: credentials };
  return {
    provider: 'vertex_ai',
    litellmParams: { model: `vertex_ai/${MODEL}`, ...params },
    embeddingParams: { model: `vertex_ai/${EMBED_MODEL}`, ...params },
    close: server.close,
  };
}
