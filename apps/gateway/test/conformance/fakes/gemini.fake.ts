import type { ServerResponse } from 'node:http';
import type { ConformanceFake } from '../conformance-contract';
import { startFakeServer, type FakeRequest } from '../fake-http';
import { googleError, serveBatchEmbed, serveGenerateContent } from './gemini-wire';

/**
 * Google AI Studio's Gemini API (ai.google.dev/api): `POST /v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` and `:batchEmbedContents`, the key in the `x-goog-api-key` header. A bad
 * key is answered the way Google does: 400 INVALID_ARGUMENT with an ErrorInfo reason API_KEY_INVALID.
 */
const KEY = 'AIza-gemini-conformance';
const MODEL = 'gemini-conf';
const EMBED_MODEL = 'gemini-embedding-conf';

function badKey(res: ServerResponse): void {
  googleError(res, 400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
  ]);
}

function handle(req: FakeRequest, res: ServerResponse): void {
  if (req.method !== 'POST') return googleError(res, 404, 'NOT_FOUND', `Method ${req.method} not found.`);
  if (req.headers['x-goog-api-key'] !== KEY) return badKey(res);
  if (req.query.has('key')) return googleError(res, 400, 'INVALID_ARGUMENT', 'conformance fake: the key belongs in the x-goog-api-key header, not the URL');
  if (req.headers['content-type'] !== 'application/json') return googleError(res, 400, 'INVALID_ARGUMENT', 'conformance fake: content-type must be application/json');
  switch (req.path) {
    case `/v1beta/models/${MODEL}:generateContent`:
      return serveGenerateContent(res, req.json, false, MODEL, badKey);
    case `/v1beta/models/${MODEL}:streamGenerateContent`:
      if (req.query.get('alt') !== 'sse') return googleError(res, 400, 'INVALID_ARGUMENT', 'conformance fake: streaming needs alt=sse');
      return serveGenerateContent(res, req.json, true, MODEL, badKey);
    case `/v1beta/models/${EMBED_MODEL}:batchEmbedContents`:
      return serveBatchEmbed(res, req.json, `models/${EMBED_MODEL}`);
    default:
      return googleError(res, 404, 'NOT_FOUND', `models/${req.path} is not found for API version v1beta, or is not supported for this method.`);
  }
}

export async function startFake(): Promise<ConformanceFake> {
  const server = await startFakeServer(handle);
  return {
    provider: 'gemini',
    litellmParams: { model: `gemini/${MODEL}`, api_base: server.url, api_key: KEY },
    embeddingUsage: 'estimated',
    embeddingParams: { model: `gemini/${EMBED_MODEL}`, api_base: server.url, api_key: KEY },
    close: server.close,
  };
}
