import { describe, expect, it } from 'vitest';
import { validateChatRequest } from './chat-request-validation';
import { GatewayError } from './gateway-error';

/** The GatewayError `validateChatRequest` throws for `body`; fails the test when it does not throw one. */
function rejectionOf(body: unknown): GatewayError {
  try {
    validateChatRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be rejected`);
}

const user = [{ role: 'user', content: 'hi' }];

describe('validateChatRequest', () => {
  it.each([
    ['null', null],
    ['an array', [{ model: 'm' }]],
    ['a string', 'model=m'],
    ['a number', 42],
  ])('rejects a body that is %s', (_, body) => {
    const error = rejectionOf(body);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.options.param).toBeNull();
    expect(error.message).toContain('must be a JSON object');
    expect(error.message).toContain('application/json');
  });

  const cases: Array<{ name: string; body: Record<string, unknown>; param: string; code: string; message: string }> = [
    { name: 'a missing model', body: { messages: user }, param: 'model', code: 'missing_required_parameter', message: 'Missing required parameter: "model".' },
    { name: 'a numeric model', body: { model: 7, messages: user }, param: 'model', code: 'invalid_type', message: '"model" must be a non-empty string, got the number 7.' },
    { name: 'a blank model', body: { model: '   ', messages: user }, param: 'model', code: 'invalid_type', message: '"model" must be a non-empty string, got the string "   ".' },
    { name: 'a null model', body: { model: null, messages: user }, param: 'model', code: 'invalid_type', message: '"model" must be a non-empty string, got null.' },
    { name: 'missing messages', body: { model: 'm' }, param: 'messages', code: 'missing_required_parameter', message: 'Missing required parameter: "messages".' },
    { name: 'messages as a string', body: { model: 'm', messages: 'hello' }, param: 'messages', code: 'invalid_type', message: '"messages" must be an array of message objects, got the string "hello".' },
    { name: 'messages as an object', body: { model: 'm', messages: { role: 'user' } }, param: 'messages', code: 'invalid_type', message: '"messages" must be an array of message objects, got an object.' },
    { name: 'empty messages', body: { model: 'm', messages: [] }, param: 'messages', code: 'empty_array', message: '"messages" must contain at least one message.' },
    { name: 'a message that is a string', body: { model: 'm', messages: [...user, 'hi'] }, param: 'messages[1]', code: 'invalid_type', message: '"messages[1]" must be an object with a "role", got the string "hi".' },
    { name: 'a message that is null', body: { model: 'm', messages: [null] }, param: 'messages[0]', code: 'invalid_type', message: '"messages[0]" must be an object with a "role", got null.' },
    { name: 'a message that is an array', body: { model: 'm', messages: [[]] }, param: 'messages[0]', code: 'invalid_type', message: '"messages[0]" must be an object with a "role", got an array.' },
    { name: 'a message without role', body: { model: 'm', messages: [{ content: 'x' }] }, param: 'messages[0].role', code: 'invalid_type', message: '"messages[0].role" must be a string such as "user", got nothing.' },
    { name: 'an empty role', body: { model: 'm', messages: [...user, ...user, { role: '' }] }, param: 'messages[2].role', code: 'invalid_type', message: '"messages[2].role" must be a string such as "user", got the string "".' },
    { name: 'a boolean role', body: { model: 'm', messages: [{ role: true }] }, param: 'messages[0].role', code: 'invalid_type', message: '"messages[0].role" must be a string such as "user", got the boolean true.' },
    { name: 'stream as a string', body: { model: 'm', messages: user, stream: 'true' }, param: 'stream', code: 'invalid_type', message: '"stream" must be true or false, got the string "true".' },
    { name: 'stream as a number', body: { model: 'm', messages: user, stream: 1 }, param: 'stream', code: 'invalid_type', message: '"stream" must be true or false, got the number 1.' },
    { name: 'stream_options as an array', body: { model: 'm', messages: user, stream_options: [] }, param: 'stream_options', code: 'invalid_type', message: '"stream_options" must be an object, got an array.' },
    { name: 'stream_options as a boolean', body: { model: 'm', messages: user, stream_options: true }, param: 'stream_options', code: 'invalid_type', message: '"stream_options" must be an object, got the boolean true.' },
  ];

  it.each(cases)('rejects $name with status 400, param $param and code $code', ({ body, param, code, message }) => {
    const error = rejectionOf(body);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.options.param).toBe(param);
    expect(error.options.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it('shortens a long string it quotes back to the caller', () => {
    const error = rejectionOf({ model: 'm', messages: 'x'.repeat(100) });
    expect(error.message).toContain(`"${'x'.repeat(40)}..."`);
    expect(error.message).not.toContain('x'.repeat(41));
  });

  it('reports the first problem: model before messages', () => {
    expect(rejectionOf({ model: 1, messages: 'nope' }).options.param).toBe('model');
  });

  it.each([
    ['a minimal body', { model: 'gpt-4o', messages: user }],
    ['fields Tollgate does not read', { model: 'm', messages: user, temperature: 0.2, tools: [{ type: 'function' }], user: 'u-1', n: 2 }],
    ['extra fields on messages', { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }], name: 'bob' }] }],
    ['a message without content', { model: 'm', messages: [{ role: 'assistant' }] }],
    ['stream true with stream_options', { model: 'm', messages: user, stream: true, stream_options: { include_usage: true, extra: 1 } }],
    ['stream and stream_options null', { model: 'm', messages: user, stream: null, stream_options: null }],
    ['stream false', { model: 'm', messages: user, stream: false }],
  ])('accepts %s', (_, body) => {
    expect(() => validateChatRequest(body)).not.toThrow();
  });
});
