import type { ServerResponse } from 'node:http';
import { EMBEDDINGS, PLAIN_TEXT, TINY_PNG_BASE64, scenarioOf, type Scenario } from '../conformance-contract';
import { pieces, sendJson } from '../fake-http';

/**
 * The Gemini `generateContent` wire format shared by Google AI Studio and Vertex AI (ai.google.dev/api and
 * cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference): `contents` with `parts`,
 * `systemInstruction`, `tools[].functionDeclarations`, `generationConfig`; answers with `candidates`,
 * `finishReason` and `usageMetadata`; `streamGenerateContent?alt=sse` streams whole GenerateContentResponse
 * objects as `data:` events separated by CRLF blank lines, with no terminator; errors are
 * `{"error":{"code","message","status","details"}}`.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Part = Record<string, any>;
type Body = Record<string, any>;

/** A google.rpc error body. */
export function googleError(res: ServerResponse, code: number, status: string, message: string, details: unknown[] = [], headers: Record<string, string> = {}): void {
  sendJson(res, code, { error: { code, message, status, ...(details.length > 0 ? { details } : {}) } }, headers);
}

const USAGE = { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 };

type Answer = { parts: Part[]; finishReason: string } | { problem: string };

const text = (value: string, finishReason = 'STOP'): Answer => ({ parts: [{ text: value }], finishReason });

function firstText(body: Body): string {
  const parts: Part[] = body?.contents?.[0]?.parts ?? [];
  return parts.find((p) => typeof p.text === 'string')?.text ?? '';
}

/** Checks the declared tool the way Gemini would read it: an OpenAPI-subset schema without JSON-Schema-only keywords. */
function weatherToolProblem(body: Body): string | undefined {
  const declaration = body.tools?.[0]?.functionDeclarations?.[0];
  if (declaration?.name !== 'get_weather') return 'tool get_weather not declared in tools[0].functionDeclarations';
  const params = declaration.parameters;
  if (params?.type !== 'object' || params.properties?.city?.type !== 'string') return 'get_weather parameters are not {city: string}';
  if (JSON.stringify(params).includes('additionalProperties') || JSON.stringify(params).includes('$schema')) return 'parameters carry keywords Gemini refuses';
  return undefined;
}

function answer(body: Body, scenario: Scenario | undefined): Answer {
  const contents: Array<{ role?: string; parts: Part[] }> = body.contents ?? [];
  if (contents.some((c) => c.role !== 'user' && c.role !== 'model')) return { problem: 'every content needs role user or model' };
  switch (scenario) {
    case 'plain':
    case 'stream-text':
      return text(PLAIN_TEXT);
    case 'system': {
      const system = body.systemInstruction?.parts?.map((p: Part) => p.text).join('');
      return system ? text(`system=${system}`) : { problem: 'no systemInstruction' };
    }
    case 'multi-turn':
      return JSON.stringify(contents.map((c) => c.role)) === '["user","model","user"]' ? text(`turns=${contents.length}`) : { problem: 'expected user/model/user turns' };
    case 'image': {
      const image = contents[0].parts.find((p) => p.inlineData)?.inlineData;
      return image?.mimeType === 'image/png' && image.data === TINY_PNG_BASE64 ? text(`image=${image.mimeType}`) : { problem: 'inlineData image/png missing' };
    }
    case 'tool-call':
    case 'stream-tool':
    case 'parallel-tools': {
      const problem = weatherToolProblem(body);
      if (problem) return { problem };
      const cities = scenario === 'parallel-tools' ? ['Paris', 'London'] : ['Paris'];
      return { parts: cities.map((city) => ({ functionCall: { name: 'get_weather', args: { city } } })), finishReason: 'STOP' };
    }
    case 'tool-result': {
      const call = contents[1]?.role === 'model' ? contents[1].parts.find((p) => p.functionCall)?.functionCall : undefined;
      const result = contents[2]?.role === 'user' ? contents[2].parts.find((p) => p.functionResponse)?.functionResponse : undefined;
      if (call?.name !== 'get_weather' || call.args?.city !== 'Paris') return { problem: 'model turn with functionCall get_weather {city: Paris} missing' };
      if (result?.name !== 'get_weather') return { problem: 'functionResponse named get_weather missing' };
      return text(`tool=${result.response?.content}`);
    }
    case 'json':
      return body.generationConfig?.responseMimeType === 'application/json' ? text('{"ok":true}') : { problem: 'generationConfig.responseMimeType is not application/json' };
    case 'stop':
      return JSON.stringify(body.generationConfig?.stopSequences) === '["END"]' ? text('partial') : { problem: 'generationConfig.stopSequences missing' };
    case 'max-tokens':
      return body.generationConfig?.maxOutputTokens === 5 ? text('cut', 'MAX_TOKENS') : { problem: 'generationConfig.maxOutputTokens missing' };
    default:
      return { problem: `unknown scenario in "${firstText(body)}"` };
  }
}

/** Answers the error scenarios natively; true when it did. `badKey` is the provider's own invalid-credentials answer. */
function sendScenarioError(res: ServerResponse, scenario: Scenario | undefined, badKey: (res: ServerResponse) => void): boolean {
  switch (scenario) {
    case 'error-401':
      badKey(res);
      return true;
    case 'error-429':
      googleError(res, 429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }], { 'retry-after': '7' });
      return true;
    case 'error-context':
      googleError(res, 400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).');
      return true;
    case 'error-500':
      googleError(res, 500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
      return true;
    case 'error-overloaded':
      googleError(res, 503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
      return true;
    default:
      return false;
  }
}

/** Top-level fields of GenerateContentRequest; the API refuses any other name. */
const REQUEST_FIELDS = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'safetySettings', 'cachedContent', 'labels']);

/** Serves `generateContent` / `streamGenerateContent` for one request body. */
export function serveGenerateContent(res: ServerResponse, body: Body, stream: boolean, modelVersion: string, badKey: (res: ServerResponse) => void): void {
  const unknown = Object.keys(body ?? {}).find((key) => !REQUEST_FIELDS.has(key));
  if (unknown) return googleError(res, 400, 'INVALID_ARGUMENT', `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`);
  const scenario = scenarioOf(firstText(body));
  if (sendScenarioError(res, scenario, badKey)) return;
  const result = answer(body, scenario);
  if ('problem' in result) return googleError(res, 400, 'INVALID_ARGUMENT', `conformance fake: ${result.problem}`);
  const candidate = (parts: Part[], finishReason?: string) => ({ content: { role: 'model', parts }, ...(finishReason ? { finishReason, index: 0 } : {}) });
  if (!stream) {
    return sendJson(res, 200, { candidates: [candidate(result.parts, result.finishReason)], usageMetadata: USAGE, modelVersion, responseId: 'conf-response' });
  }
  const events: unknown[] = [];
  const only = result.parts[0];
  if (result.parts.length === 1 && typeof only.text === 'string') {
    const chunks = pieces(only.text, 3);
    chunks.forEach((piece, i) => {
      const last = i === chunks.length - 1;
      // Gemini reports running usage on every event; the last one carries the totals and the finish reason.
      const usage = last ? USAGE : { promptTokenCount: 10, candidatesTokenCount: i + 1, totalTokenCount: 11 + i };
      events.push({ candidates: [candidate([{ text: piece }], last ? result.finishReason : undefined)], usageMetadata: usage, modelVersion });
    });
  } else {
    events.push({ candidates: [candidate(result.parts, result.finishReason)], usageMetadata: USAGE, modelVersion });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const event of events) res.write(`data: ${JSON.stringify(event)}\r\n\r\n`);
  res.end();
}

/** Gemini API `batchEmbedContents`: one ContentEmbedding per request, no token counts (the real API reports none). */
export function serveBatchEmbed(res: ServerResponse, body: Body, modelResource: string): void {
  const requests: Array<Record<string, any>> = body?.requests ?? [];
  const texts = requests.map((r) => r.content?.parts?.[0]?.text);
  if (JSON.stringify(texts) !== '["alpha","beta"]') return googleError(res, 400, 'INVALID_ARGUMENT', 'conformance fake: expected requests for "alpha" and "beta"');
  if (requests.some((r) => r.model !== modelResource)) return googleError(res, 400, 'INVALID_ARGUMENT', `conformance fake: every request needs model ${modelResource}`);
  sendJson(res, 200, { embeddings: EMBEDDINGS.map((values) => ({ values })) });
}
