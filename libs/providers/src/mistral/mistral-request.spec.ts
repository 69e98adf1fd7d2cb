import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../provider.types';
import { mistralToolCallId, toMistralRequest } from './mistral-request';

const toolRound: ChatCompletionRequest = {
  model: 'small',
  messages: [
    { role: 'system', content: 'Be brief.', name: 'ops' },
    { role: 'user', content: 'weather in Paris?', name: 'alice' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_abc123', name: 'get_weather', content: '22C' },
  ],
};

describe('toMistralRequest', () => {
  it('returns the request itself when Mistral accepts it as it is', () => {
    const request: ChatCompletionRequest = { model: 'small', messages: [{ role: 'user', content: 'hi' }], temperature: 0.3 };
    expect(toMistralRequest(request)).toBe(request);
  });

  it('removes name from non-tool messages and stream_options, keeping the caller request intact', () => {
    const out = toMistralRequest({ ...toolRound, stream_options: { include_usage: true } });
    expect(out.stream_options).toBeUndefined();
    expect(out.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(out.messages[1]).toEqual({ role: 'user', content: 'weather in Paris?' });
    expect(out.messages[3].name).toBe('get_weather');
    expect(toolRound.messages[0].name).toBe('ops');
  });

  it('gives foreign tool-call ids a stable 9-character Mistral id, the same for the call and its result', () => {
    const out = toMistralRequest(toolRound);
    const id = (out.messages[2].tool_calls as Array<{ id: string }>)[0].id;
    expect(id).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(out.messages[3].tool_call_id).toBe(id);
    expect(mistralToolCallId('call_abc123')).toBe(id);
    expect(mistralToolCallId('D681PevKs')).toBe('D681PevKs');
  });
});
