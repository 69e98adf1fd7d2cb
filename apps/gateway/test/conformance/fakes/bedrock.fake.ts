import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Sha256 } from '@aws-crypto/sha256-js';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { SignatureV4 } from '@smithy/signature-v4';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { EMBEDDINGS, PLAIN_TEXT, TINY_PNG_BASE64, scenarioOf, type ConformanceFake, type Scenario } from '../conformance-contract';
import { pieces, sendJson, startFakeServer, type FakeRequest } from '../fake-http';

/**
 * AWS Bedrock runtime (docs.aws.amazon.com/bedrock/latest/APIReference): POST /model/{modelId}/converse,
 * /converse-stream (binary `application/vnd.amazon.eventstream` frames) and /invoke (Titan / Cohere
 * embeddings). Requests are authenticated with SigV4 for service `bedrock` (verified here by recomputing the
 * signature with the known secret) or a Bedrock API key (Bearer). Errors are `{"message"}` with the
 * exception name in `x-amzn-ErrorType`.
 */
export const ACCESS_KEY_ID = 'AKIACONFORMANCE00001';
const SECRET_ACCESS_KEY = 'conformance/Secret+Access/Key0000000000';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjConformanceSessionToken';
export const REGION = 'eu-west-3';
export const BEARER_TOKEN = 'bedrock-api-key-Y29uZm9ybWFuY2UtYmVhcmVyLXRva2Vu';

const CHAT_MODEL = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0';
const BEARER_CHAT_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const TITAN_MODEL = 'amazon.titan-embed-text-v2:0';
const COHERE_MODEL = 'cohere.embed-english-v3';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const ERROR_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.bedrock/';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function awsError(res: ServerResponse, status: number, exception: string | undefined, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { message }, { ...(exception ? { 'x-amzn-ErrorType': `${exception}:${ERROR_NAMESPACE}` } : {}), 'x-amzn-RequestId': randomUUID(), ...headers });
}

/** `20250102T030405Z` as a Date. */
function amzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** Checks a SigV4-signed request the way AWS does; returns the native error to send, or undefined when valid. */
async function sigV4Problem(req: FakeRequest): Promise<{ exception: string; message: string } | undefined> {
  const auth = req.headers.authorization ?? '';
  const m = AUTH.exec(auth);
  if (!m) return { exception: 'IncompleteSignatureException', message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.` };
  const [, keyId, day, region, service, signedList] = m;
  const invalid = { exception: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  if (keyId !== ACCESS_KEY_ID || req.headers['x-amz-security-token'] !== SESSION_TOKEN) return invalid;
  if (service !== 'bedrock') return { exception: 'InvalidSignatureException', message: `Credential should be scoped to correct service: 'bedrock'.` };
  if (region !== REGION) return { exception: 'InvalidSignatureException', message: `Credential should be scoped to a valid region.` };
  const date = amzDate(String(req.headers['x-amz-date'] ?? ''));
  if (!date || !String(req.headers['x-amz-date']).startsWith(day)) return { exception: 'IncompleteSignatureException', message: 'Date must be in ISO-8601 basic format.' };
  if (Math.abs(Date.now() - date.getTime()) > 5 * 60_000) return { exception: 'InvalidSignatureException', message: 'Signature expired.' };
  const signed = signedList.split(';');
  if (!signed.includes('host') || !signed.includes('x-amz-date')) return { exception: 'InvalidSignatureException', message: 'The host and x-amz-date headers must be signed.' };
  // The declared body hash is not trusted: it is left out, so the signer hashes the body actually received.
  const headers: Record<string, string> = {};
  for (const name of signed) if (name !== 'x-amz-content-sha256') headers[name] = String(req.headers[name] ?? '');
  const [path] = req.url.split('?');
  const host = String(req.headers.host ?? '');
  const signer = new SignatureV4({
    service,
    region,
    sha256: Sha256,
    applyChecksum: signed.includes('x-amz-content-sha256'),
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN },
  });
  const expected = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: host.split(':')[0], path, query: {}, headers, body: req.raw },
    { signingDate: date },
  );
  if (expected.headers.authorization !== auth) {
    return {
      exception: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return undefined;
}

const CONVERSE_FIELDS = new Set(['messages', 'system', 'inferenceConfig', 'toolConfig', 'additionalModelRequestFields', 'additionalModelResponseFieldPaths', 'guardrailConfig', 'performanceConfig', 'promptVariables', 'requestMetadata']);
const INFERENCE_FIELDS = new Set(['maxTokens', 'temperature', 'topP', 'stopSequences']);
const BLOCK_KINDS = new Set(['text', 'image', 'document', 'video', 'toolUse', 'toolResult', 'reasoningContent', 'guardContent', 'cachePoint']);

/** Structural checks Bedrock itself makes (unknown fields, roles, one kind per content block). */
function malformed(body: Json): string | undefined {
  if (!Array.isArray(body?.messages) || body.messages.length === 0) return 'messages must be a non-empty list';
  const extra = Object.keys(body).find((k) => !CONVERSE_FIELDS.has(k));
  if (extra) return `unexpected field ${extra}`;
  const badInference = Object.keys(body.inferenceConfig ?? {}).find((k) => !INFERENCE_FIELDS.has(k));
  if (badInference) return `unexpected inferenceConfig field ${badInference}`;
  let previous = '';
  for (const message of body.messages as Json[]) {
    if (message.role !== 'user' && message.role !== 'assistant') return `role ${message.role} is not user or assistant`;
    if (message.role === previous) return 'A conversation must alternate between user and assistant roles.';
    previous = message.role;
    for (const block of message.content as Json[]) {
      const kinds = Object.keys(block);
      if (kinds.length !== 1 || !BLOCK_KINDS.has(kinds[0])) return `content block with keys ${kinds.join(',')}`;
    }
  }
  if (body.messages[0].role !== 'user') return 'A conversation must start with a user message.';
  return undefined;
}

type Answer = { text: string; stop: string } | { calls: Array<{ id: string; input: Json }> } | { problem: string };

function answer(body: Json, scenario: Scenario | undefined): Answer {
  const messages = body.messages as Json[];
  const tools = body.toolConfig?.tools as Json[] | undefined;
  switch (scenario) {
    case 'plain':
    case 'stream-text':
      return { text: PLAIN_TEXT, stop: 'end_turn' };
    case 'system':
      return body.system?.[0]?.text ? { text: `system=${body.system[0].text}`, stop: 'end_turn' } : { problem: 'no system block' };
    case 'multi-turn':
      return { text: `turns=${messages.length}`, stop: 'end_turn' };
    case 'image': {
      const image = messages[0].content.find((b: Json) => b.image)?.image;
      return image?.format === 'png' && image?.source?.bytes === TINY_PNG_BASE64 ? { text: 'image=image/png', stop: 'end_turn' } : { problem: 'png image block missing' };
    }
    case 'tool-call':
    case 'parallel-tools':
    case 'stream-tool': {
      const spec = tools?.[0]?.toolSpec;
      if (spec?.name !== 'get_weather' || spec?.inputSchema?.json?.properties?.city?.type !== 'string') return { problem: 'toolSpec get_weather missing' };
      const cities = scenario === 'parallel-tools' ? ['Paris', 'London'] : ['Paris'];
      return { calls: cities.map((city, i) => ({ id: `tooluse_conf${i + 1}`, input: { city } })) };
    }
    case 'tool-result': {
      const use = messages[1]?.content?.find((b: Json) => b.toolUse)?.toolUse;
      const result = messages[2]?.content?.find((b: Json) => b.toolResult)?.toolResult;
      if (!tools?.length) return { problem: 'toolConfig missing while messages hold tool blocks' };
      if (use?.toolUseId !== 'call_1' || use?.name !== 'get_weather' || use?.input?.city !== 'Paris') return { problem: 'toolUse call_1 missing' };
      return result?.toolUseId === 'call_1' ? { text: `tool=${result.content?.[0]?.text}`, stop: 'end_turn' } : { problem: 'toolResult for call_1 missing' };
    }
    case 'json':
      // Converse has no JSON switch: json_object adds nothing to the request.
      return body.toolConfig ? { problem: 'no tool expected for json_object' } : { text: '{"ok":true}', stop: 'end_turn' };
    case 'stop':
      return JSON.stringify(body.inferenceConfig?.stopSequences) === '["END"]' ? { text: 'partial', stop: 'stop_sequence' } : { problem: 'stopSequences missing' };
    case 'max-tokens':
      return body.inferenceConfig?.maxTokens === 5 ? { text: 'cut', stop: 'max_tokens' } : { problem: 'maxTokens missing' };
    default:
      return { problem: `unknown scenario in "${messages[0]?.content?.[0]?.text}"` };
  }
}

const USAGE = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };
const PAD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';

function frame(eventType: string, payload: Json): Buffer {
  const headers = {
    ':event-type': { type: 'string' as const, value: eventType },
    ':content-type': { type: 'string' as const, value: 'application/json' },
    ':message-type': { type: 'string' as const, value: 'event' },
  };
  // Bedrock pads each event with a `p` field of varying length (against traffic analysis).
  return Buffer.from(codec.encode({ headers, body: fromUtf8(JSON.stringify({ ...payload, p: PAD.slice(0, 3 + (eventType.length % 20)) })) }));
}

/** Writes the frames so that one arrives split across two network writes and others share one write. */
async function sendEventStream(res: ServerResponse, frames: Buffer[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-RequestId': randomUUID() });
  const all = Buffer.concat(frames);
  const cut = frames[0].length + Math.floor(frames[1].length / 2);
  res.write(all.subarray(0, cut));
  await sleep(15);
  res.write(all.subarray(cut));
  res.end();
}

function streamFrames(result: Exclude<Answer, { problem: string }>): Buffer[] {
  const frames = [frame('messageStart', { role: 'assistant' })];
  if ('text' in result) {
    for (const piece of pieces(result.text, 3)) frames.push(frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: piece } }));
    frames.push(frame('contentBlockStop', { contentBlockIndex: 0 }), frame('messageStop', { stopReason: result.stop }));
  } else {
    result.calls.forEach((call, index) => {
      frames.push(frame('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId: call.id, name: 'get_weather' } } }));
      for (const part of pieces(JSON.stringify(call.input), 2)) frames.push(frame('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: part } } }));
      frames.push(frame('contentBlockStop', { contentBlockIndex: index }));
    });
    frames.push(frame('messageStop', { stopReason: 'tool_use' }));
  }
  frames.push(frame('metadata', { usage: USAGE, metrics: { latencyMs: 42 } }));
  return frames;
}

function embed(req: FakeRequest, res: ServerResponse, modelId: string): void {
  const body = req.json as Json;
  if (modelId === TITAN_MODEL) {
    const index = ['alpha', 'beta'].indexOf(body?.inputText);
    const extra = Object.keys(body ?? {}).find((k) => !['inputText', 'dimensions', 'normalize', 'embeddingTypes'].includes(k));
    if (index === -1 || extra) return awsError(res, 400, 'ValidationException', `conformance fake: unexpected Titan body ${JSON.stringify(body)}`);
    return sendJson(res, 200, { embedding: EMBEDDINGS[index], inputTextTokenCount: 2 }, { 'X-Amzn-Bedrock-Input-Token-Count': '2' });
  }
  if (modelId === COHERE_MODEL) {
    if (JSON.stringify(body?.texts) !== '["alpha","beta"]' || body?.input_type !== 'search_document') {
      return awsError(res, 400, 'ValidationException', `conformance fake: unexpected Cohere body ${JSON.stringify(body)}`);
    }
    const payload = { id: randomUUID(), texts: body.texts, embeddings: EMBEDDINGS, response_type: 'embeddings_floats' };
    return sendJson(res, 200, payload, { 'X-Amzn-Bedrock-Input-Token-Count': '4' });
  }
  awsError(res, 404, 'ResourceNotFoundException', 'Could not resolve the foundation model from the provided model identifier.');
}

export async function startBedrockServer(auth: 'sigv4' | 'bearer'): Promise<{ url: string; close(): Promise<void> }> {
  return startFakeServer(async (req, res) => {
    if (auth === 'bearer') {
      // A rejected Bedrock API key: a bare 403 whose body says so.
      if (req.headers.authorization !== `Bearer ${BEARER_TOKEN}`) return sendJson(res, 403, { Message: 'Authentication failed: Please make sure your API Key is valid.' });
    } else {
      const problem = await sigV4Problem(req);
      if (problem) return awsError(res, 403, problem.exception, problem.message);
    }
    const route = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(req.path);
    if (req.method !== 'POST' || !route) return awsError(res, 404, 'UnknownOperationException', `Unknown operation ${req.method} ${req.path}`);
    const modelId = decodeURIComponent(route[1]);
    if (route[2] === 'invoke') return embed(req, res, modelId);
    if (modelId !== (auth === 'bearer' ? BEARER_CHAT_MODEL : CHAT_MODEL) || !route[1].includes('%3A')) {
      return awsError(res, 400, 'ValidationException', `conformance fake: unexpected model id in path ${req.path}`);
    }
    const body = req.json as Json;
    const problem = malformed(body);
    if (problem) return awsError(res, 400, 'ValidationException', `conformance fake: ${problem}`);
    const firstText = (body.messages[0].content as Json[]).find((b) => typeof b.text === 'string')?.text ?? '';
    const scenario = scenarioOf(firstText);
    switch (scenario) {
      case 'error-401':
        return auth === 'bearer'
          ? sendJson(res, 403, { Message: 'Authentication failed: Please make sure your API Key is valid.' })
          : awsError(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      case 'error-429':
        return awsError(res, 429, 'ThrottlingException', 'Too many requests, please wait before trying again.', { 'retry-after': '7' });
      case 'error-context':
        return awsError(res, 400, 'ValidationException', 'Input is too long for requested model.');
      case 'error-500':
        return awsError(res, 500, 'InternalServerException', 'The server encountered an error processing your request.');
      case 'error-overloaded':
        return awsError(res, 503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.');
    }
    const result = answer(body, scenario);
    if ('problem' in result) return awsError(res, 400, 'ValidationException', `conformance fake: ${result.problem}`);
    if (route[2] === 'converse-stream') return sendEventStream(res, streamFrames(result));
    const content = 'text' in result ? [{ text: result.text }] : result.calls.map((c) => ({ toolUse: { toolUseId: c.id, name: 'get_weather', input: c.input } }));
    sendJson(res, 200, {
      output: { message: { role: 'assistant', content } },
      stopReason: 'text' in result ? result.stop : 'tool_use',
      usage: USAGE,
      metrics: { latencyMs: 42 },
    });
  });
}

/** SigV4 with credentials and region from the standard AWS environment variables (session token included). */
export async function startFake(): Promise<ConformanceFake> {
  const server = await startBedrockServer('sigv4');
  return {
    provider: 'bedrock',
    litellmParams: { model: `bedrock/${CHAT_MODEL}`, api_base: server.url },
    embeddingParams: { model: `bedrock/${TITAN_MODEL}`, aws_bedrock_runtime_endpoint: server.url },
    env: { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN, AWS_REGION_NAME: REGION },
    close: server.close,
  };
}

export const BEDROCK_MODELS = { BEARER_CHAT_MODEL, COHERE_MODEL };
