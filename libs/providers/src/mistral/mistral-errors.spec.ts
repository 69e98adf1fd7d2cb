import { describe, expect, it } from 'vitest';
import { readMistralError } from './mistral-errors';

describe('readMistralError', () => {
  it('reads the API error shape', () => {
    const body = '{"object":"error","message":"Prompt contains 140000 tokens, too large for model with 131072 maximum context length","type":"invalid_request_message_error","param":null,"code":"3051"}';
    expect(readMistralError(body)).toEqual({
      message: 'Prompt contains 140000 tokens, too large for model with 131072 maximum context length',
      type: 'invalid_request_message_error',
      code: '3051',
      param: null,
    });
  });

  it('spells out request validation details', () => {
    const body = JSON.stringify({
      object: 'error',
      message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted', input: { include_usage: true } }] },
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    expect(readMistralError(body)?.message).toBe('body.stream_options: Extra inputs are not permitted');
  });

  it('reads the gateway 401 body and leaves foreign shapes alone', () => {
    expect(readMistralError('{"message":"Unauthorized","request_id":"4f1c"}')?.message).toBe('Unauthorized');
    expect(readMistralError('{"error":{"message":"x"}}')).toBeUndefined();
    expect(readMistralError('upstream connect error')).toBeUndefined();
  });
});
