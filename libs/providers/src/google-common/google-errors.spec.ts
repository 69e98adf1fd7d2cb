import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '@tollgate/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { Deadline } from '../shared/deadline';
import { googleErrorBody, googleErrorDetail, googleStreamError, sendGoogleUpstream } from './google-errors';

const deployment: Deployment = {
  id: 'd1',
  modelName: 'gem',
  provider: 'gemini',
  upstreamModel: 'gemini-2.5-flash',
  timeoutMs: 5000,
  streamTimeoutMs: 5000,
  params: { model: 'gemini/gemini-2.5-flash', api_key: 'AIza-secret-key' },
};

/** Error bodies as Google APIs send them. */
const BODIES: Record<string, { status: number; body: unknown; headers?: Record<string, string> }> = {
  '/bad-key': {
    status: 400,
    body: {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
      },
    },
  },
  '/quota': {
    status: 429,
    body: {
      error: {
        code: 429,
        message: 'You exceeded your current quota.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37.5s' }],
      },
    },
  },
  '/context': {
    status: 400,
    body: { error: { code: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' } },
  },
  '/array': { status: 503, body: [{ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }] },
  '/partner': { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = BODIES[req.url ?? ''];
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failureOf(path: string, otherBody?: Parameters<typeof sendGoogleUpstream>[4]): Promise<GatewayError> {
  const deadline = new Deadline(new AbortController().signal);
  deadline.arm(5000);
  try {
    await sendGoogleUpstream(deployment, { url: `${base}${path}`, headers: {}, body: '{}' }, deadline, { action: 'respond', ms: 5000 }, otherBody);
  } catch (err) {
    return err as GatewayError;
  } finally {
    deadline.dispose();
  }
  throw new Error('expected a failure');
}

describe('sendGoogleUpstream errors', () => {
  it('turns an invalid API key (400 API_KEY_INVALID) into a 401', async () => {
    const err = await failureOf('/bad-key');
    expect([err.status, err.type, err.options.code]).toEqual([401, 'authentication_error', 'invalid_api_key']);
    expect(err.message).toBe('API key not valid. Please pass a valid API key.');
  });

  it('keeps 429 and derives retry-after from RetryInfo when the header is absent', async () => {
    const err = await failureOf('/quota');
    expect([err.status, err.type, err.options.code, err.options.headers?.['retry-after']]).toEqual([429, 'rate_limit_error', 'rate_limit_exceeded', '38']);
  });

  it('recognises the context-window error', async () => {
    const err = await failureOf('/context');
    expect([err.status, err.options.code]).toEqual([400, 'context_length_exceeded']);
  });

  it('reads array-wrapped errors and maps UNAVAILABLE to a 503', async () => {
    const err = await failureOf('/array');
    expect([err.status, err.type, err.options.code]).toEqual([503, 'service_unavailable_error', 'service_unavailable']);
  });

  it('hands non-Google bodies to the partner reader', async () => {
    const err = await failureOf('/partner', (text) => ({ message: JSON.parse(text).error.message, type: 'overloaded_error' }));
    expect([err.status, err.message]).toEqual([503, 'Overloaded']);
  });
});

describe('googleErrorDetail / googleStreamError', () => {
  it('maps google.rpc statuses to OpenAI codes', () => {
    expect(googleErrorDetail({ code: 403, message: 'denied', status: 'PERMISSION_DENIED' })).toMatchObject({ message: 'denied', code: 'permission_denied' });
    expect(googleErrorDetail({ code: 404, message: 'no model', status: 'NOT_FOUND' }).code).toBe('not_found');
    expect(googleErrorBody('<html>')).toBeUndefined();
  });

  it('turns a mid-stream error event into the matching GatewayError', () => {
    const err = googleStreamError(deployment, { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' });
    expect([err.status, err.message, err.options.code]).toEqual([500, 'An internal error has occurred.', 'internal_error']);
  });
});
